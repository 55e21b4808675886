import { type ParsedConduitConfig, parseRouteTarget } from '@conduit/core';
import type { CircuitTarget } from './circuit-breaker.js';

/**
 * The ordered alternatives of `primary`: its own `fallback["provider,model"]` list first (the
 * most specific), then the scenario's list from the decision (CCR's `fallback[scenario]`). Routes
 * are returned as written; the caller resolves and de-duplicates them.
 */
export function listFallbackRoutes(options: {
  primary: CircuitTarget;
  decisionFallbacks: readonly string[];
  fallbackConfig: ParsedConduitConfig['fallback'];
}): string[] {
  const { primary } = options;
  const own: string[] = [];
  for (const [key, routes] of Object.entries(options.fallbackConfig ?? {})) {
    const target = parseRouteTarget(key);
    if (
      target &&
      target.provider.toLowerCase() === primary.provider.toLowerCase() &&
      target.model === primary.model
    ) {
      own.push(...routes);
    }
  }
  return [...own, ...options.decisionFallbacks];
}

/** The upstream budget of a whole request: `server.timeout` > `API_TIMEOUT_MS` > `resilience.timeouts.totalMs`. */
export function resolveTotalTimeoutMs(config: ParsedConduitConfig): number {
  return config.server.timeout ?? config.API_TIMEOUT_MS ?? config.resilience.timeouts.totalMs;
}
