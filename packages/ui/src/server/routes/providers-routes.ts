/**
 * `GET /ui/api/providers`: each configured provider (models, how many keys, never the keys), its
 * circuit breakers, key-pool cooldowns, and latency and error rate over the last hour from the
 * ledger; plus the gateway's health checks. `GET /ui/api/circuits`: the circuit states alone.
 * @module
 */
import { Hono } from 'hono';
import type { KeyCooldowns } from '../live/key-cooldowns.js';
import type { UIGateway } from '../ui-gateway.js';

const hourMs = 3_600_000;

/** A base URL without credentials or query (where vendors sometimes put keys). */
function safeBaseURL(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}${parsed.search ? '?…' : ''}`;
  } catch {
    return '(not a URL)';
  }
}

export function createProvidersRoutes(options: {
  gateway: UIGateway;
  cooldowns: KeyCooldowns;
  now: () => number;
}): Hono {
  const app = new Hono();
  app.get('/circuits', context => context.json({ circuits: options.gateway.getCircuitStates() }));
  app.get('/providers', async context => {
    const { gateway, now } = options;
    const circuits = gateway.getCircuitStates();
    const tracker = gateway.usageTracker;
    const until = now();
    const stats = tracker
      ? (
          await tracker.getBreakdown(
            { since: new Date(until - hourMs), until: new Date(until) },
            'provider',
          )
        ).entries
      : [];
    const health = gateway.getHealth();
    return context.json({
      health: {
        status: health.status,
        ready: health.ready ?? null,
        version: health.version ?? null,
        uptimeMs: health.uptimeMs ?? null,
        warnings: health.warnings ?? [],
        checks: health.checks ?? {},
      },
      providers: gateway.config.Providers.map(provider => {
        const recent = stats.find(entry => entry.key === provider.name);
        return {
          name: provider.name,
          baseURL: safeBaseURL(provider.api_base_url),
          models: provider.models,
          keys: (provider.api_key ? 1 : 0) + (provider.api_keys?.length ?? 0),
          circuits: circuits.filter(circuit => circuit.provider === provider.name),
          cooldowns: options.cooldowns.activeFor(provider.name, until),
          lastHour: recent
            ? {
                requests: recent.requests,
                errorRate: recent.errorRate,
                latencyMs: recent.latencyMs,
                ttfbMs: recent.ttfbMs,
              }
            : null,
        };
      }),
    });
  });
  return app;
}
