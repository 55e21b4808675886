import type { CircuitState, ConduitConfig, HealthCheck, HealthCheckResult } from '@conduit/core';
import { isLoopbackHost } from '../security/bind-guard.js';

/** One provider/model target's circuit breaker, as the resilience layer reports it. */
export interface CircuitStateEntry {
  provider: string;
  model: string;
  state: CircuitState;
}

/**
 * Where the server reads circuit breaker states for health and metrics. The resilience layer
 * (`wrapUpstreamCall`) provides it; without one every target counts as closed.
 */
export type CircuitStateSource = () => readonly CircuitStateEntry[];

/** `server` check: listening and not shutting down. */
export function createServerCheck(getState: () => 'idle' | 'listening' | 'stopping'): HealthCheck {
  return () => {
    const state = getState();
    if (state === 'listening') return { status: 'healthy' };
    return {
      status: 'unhealthy',
      message: state === 'stopping' ? 'shutting down' : 'not listening',
    };
  };
}

/** `router` check: there is something to route to. */
export function createRouterCheck(
  getConfig: () => ConduitConfig,
  configPath?: string,
): HealthCheck {
  return () => {
    const config = getConfig();
    const where = configPath ?? 'the config file ($CONDUIT_HOME/config.json)';
    if (config.Providers.length === 0) {
      return {
        status: 'unhealthy',
        message: `No providers are configured. Add one to ${where} under "Providers" and set "Router.default".`,
      };
    }
    if (!config.Router.default) {
      return { status: 'unhealthy', message: `"Router.default" is not set in ${where}.` };
    }
    return {
      status: 'healthy',
      details: { providers: config.Providers.length, default: config.Router.default },
    };
  };
}

function hasUsableKey(provider: ConduitConfig['Providers'][number]): boolean {
  const keys = [provider.api_key, ...(provider.api_keys ?? [])];
  // An unresolved `$VAR` stays as written when the variable is unset.
  return keys.some(key => typeof key === 'string' && key.trim() !== '' && !key.startsWith('$'));
}

function isLocalEndpoint(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/**
 * `providers` check, without calling any upstream: each provider needs a key (local endpoints
 * such as Ollama excepted) and models; targets whose circuit is open are listed. Unhealthy only
 * when every configured target's circuit is open. Never reveals keys or URLs.
 */
export function createProvidersCheck(
  getConfig: () => ConduitConfig,
  getCircuitStates: CircuitStateSource | undefined,
): HealthCheck {
  return (): HealthCheckResult => {
    const config = getConfig();
    const problems: string[] = [];
    let targets = 0;
    for (const provider of config.Providers) {
      targets += provider.models.length;
      if (provider.models.length === 0) problems.push(`${provider.name}: no models`);
      if (!hasUsableKey(provider) && !isLocalEndpoint(provider.api_base_url)) {
        problems.push(`${provider.name}: no API key (set "api_key" or its environment variable)`);
      }
    }
    const circuits = getCircuitStates?.() ?? [];
    const open = circuits.filter(entry => entry.state === 'open');
    const halfOpen = circuits.filter(entry => entry.state === 'half-open');
    for (const entry of open) problems.push(`${entry.provider},${entry.model}: circuit open`);
    const details = {
      providers: config.Providers.length,
      targets,
      openCircuits: open.map(entry => `${entry.provider},${entry.model}`),
      halfOpenCircuits: halfOpen.map(entry => `${entry.provider},${entry.model}`),
    };
    if (targets > 0 && open.length >= targets) {
      return { status: 'unhealthy', message: 'every target’s circuit is open', details };
    }
    if (problems.length > 0) return { status: 'degraded', message: problems.join('; '), details };
    return { status: 'healthy', details };
  };
}
