import type { CustomRouteResult } from '../types/conduit-plugin.js';
import type { RoutingContext } from '../types/routing.js';
import type { RouteCandidate } from './scenario-rules.js';

/** Guards against a missing context or request: routing must never crash on odd input. */
export function normalizeContext(context: RoutingContext | undefined | null): RoutingContext {
  if (context === null || typeof context !== 'object')
    return { request: {} as RoutingContext['request'] };
  const request =
    context.request !== null && typeof context.request === 'object'
      ? context.request
      : ({} as RoutingContext['request']);
  return request === context.request ? context : { ...context, request };
}

/** Turns a plugin `customRouter` answer into a candidate (`custom-router` is the CCR script plugin). */
export function pluginCandidate(
  pluginName: string,
  result: string | CustomRouteResult,
): RouteCandidate {
  const reason = pluginName === 'custom-router' ? 'custom-router' : `plugin:${pluginName}`;
  const origin = `Plugin "${pluginName}"`;
  if (typeof result === 'string')
    return { route: result, reason, scenario: 'default', confidence: 1, origin };
  return {
    route: `${result.provider},${result.model}`,
    reason: result.reason ?? reason,
    scenario: 'default',
    confidence: result.confidence ?? 1,
    origin,
    metadata: result.metadata,
  };
}
