/** Providers: health, circuit breakers per target, key cooldowns, last-hour latency and errors. */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorNote, Panel } from '../components/ui-kit';
import { formatMs, formatPercent, formatTime } from '../format';
import type { Latency } from '../types';

interface ProviderView {
  name: string;
  baseURL: string;
  models: string[];
  keys: number;
  circuits: Array<{ provider: string; model: string; state: string; [key: string]: unknown }>;
  cooldowns: Array<{ keyIndex: number; status: number; availableAt: number }>;
  lastHour: { requests: number; errorRate: number; latencyMs: Latency; ttfbMs: Latency } | null;
}

interface ProvidersAnswer {
  health: {
    status: string;
    ready: boolean | null;
    version: string | null;
    uptimeMs: number | null;
    warnings: string[];
    checks: unknown;
  };
  providers: ProviderView[];
}

export function ProvidersPage() {
  const [answer, setAnswer] = useState<ProvidersAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const load = () => api.get<ProvidersAnswer>('/ui/api/providers').then(setAnswer, setError);
    load();
    const timer = setInterval(load, 5000);
    return () => clearInterval(timer);
  }, []);
  return (
    <div>
      <div class="toolbar">
        <h1>Providers</h1>
        {answer ? (
          <span
            class={`badge ${answer.health.status === 'ok' ? 'badge-ok' : 'badge-warn'}`}
            role="status"
          >
            Gateway {answer.health.status}
            {answer.health.version ? ` · v${answer.health.version}` : ''}
          </span>
        ) : null}
      </div>
      <ErrorNote error={error} />
      {answer?.health.warnings.map(warning => (
        <p key={warning} class="warning-note">
          {warning}
        </p>
      ))}
      {answer && answer.providers.length === 0 ? (
        <p class="muted">No providers are configured yet. Add one on the Config page.</p>
      ) : null}
      <div class="grid-2">
        {answer?.providers.map(provider => (
          <Panel key={provider.name} title={provider.name}>
            <p class="muted">
              {provider.baseURL} · {provider.keys} key{provider.keys === 1 ? '' : 's'}
            </p>
            <dl class="compact">
              <dt>Last hour</dt>
              <dd>
                {provider.lastHour
                  ? `${provider.lastHour.requests} requests · errors ${formatPercent(provider.lastHour.errorRate)} · p50 ${formatMs(provider.lastHour.latencyMs.p50)} · p95 ${formatMs(provider.lastHour.latencyMs.p95)}`
                  : 'no requests'}
              </dd>
              <dt>Key cooldowns</dt>
              <dd>
                {provider.cooldowns.length === 0
                  ? 'none'
                  : provider.cooldowns
                      .map(
                        cooldown =>
                          `key #${cooldown.keyIndex + 1} (${cooldown.status}) until ${formatTime(cooldown.availableAt)}`,
                      )
                      .join(', ')}
              </dd>
            </dl>
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col">Circuit</th>
                </tr>
              </thead>
              <tbody>
                {provider.models.map(model => {
                  const circuit = provider.circuits.find(item => item.model === model);
                  const state = circuit?.state ?? 'closed';
                  return (
                    <tr key={model}>
                      <th scope="row">{model}</th>
                      <td>
                        <span
                          class={`badge ${state === 'closed' ? 'badge-ok' : state === 'open' ? 'badge-bad' : 'badge-warn'}`}
                        >
                          {state}
                        </span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </Panel>
        ))}
      </div>
    </div>
  );
}
