/**
 * Route once: the router resolves a decision's `provider,model` against the configured providers,
 * and the gateway needs the same resolution (which provider entry to call). The router records it
 * here beside the decision, so the gateway reads it instead of resolving again; fallback strings
 * and decisions a plugin replaced are resolved with {@link resolveConfiguredRoute}, which throws
 * the same no-route errors as routing.
 * @module
 */
import type { ParsedProviderConfig } from '../config/config-schema.js';
import { type ProviderIndex, resolveRouteTarget } from '../config/provider-index.js';
import { parseRouteTarget } from '../config/route-target.js';
import type { RouteTarget, RoutingDecision } from '../types/routing.js';
import { unknownModelError, unknownProviderError } from './no-route-errors.js';

/** A route resolved against one config version. */
export interface ResolvedRoute {
  /** The provider's entry in that config's `Providers` (compare by identity for the version). */
  provider: ParsedProviderConfig;
  /** Its position in `Providers`. */
  providerIndex: number;
  /** The model id as configured. */
  model: string;
}

const resolvedRoutes = new WeakMap<RoutingDecision, ResolvedRoute>();

/** Records what the router resolved `decision`'s target to. */
export function recordResolvedRoute(decision: RoutingDecision, route: ResolvedRoute): void {
  resolvedRoutes.set(decision, route);
}

/**
 * The resolution the router made for `decision`, or `undefined` for a decision it did not make
 * (a plugin's replacement, a copy) or whose provider or model was changed since.
 */
export function resolvedRouteOf(decision: RoutingDecision): ResolvedRoute | undefined {
  const route = resolvedRoutes.get(decision);
  if (!route || route.provider.name !== decision.provider || route.model !== decision.model) {
    return undefined;
  }
  return route;
}

/**
 * Resolves a `provider,model` string (or target) against the configured providers.
 * @param origin names the route's source in error messages, e.g. `Router.think`, `Fallback route`.
 * @throws NoRouteError (`unknown-provider`, `unknown-model`).
 */
export function resolveConfiguredRoute(
  index: ProviderIndex,
  route: string | RouteTarget,
  origin: string,
): ResolvedRoute {
  const text = typeof route === 'string' ? route : `${route.provider},${route.model}`;
  const target = typeof route === 'string' ? parseRouteTarget(route) : route;
  if (!target) throw unknownProviderError(origin, text, undefined, index.choices);
  const resolution = resolveRouteTarget(index, target);
  if (resolution.status === 'unknown-provider') {
    throw unknownProviderError(origin, text, target.provider, index.choices);
  }
  if (resolution.status === 'unknown-model') {
    throw unknownModelError(
      origin,
      text,
      { provider: resolution.providerName, model: target.model },
      resolution.models,
      index.choices,
    );
  }
  const provider = index.providers.get(resolution.target.provider.toLowerCase())!.provider;
  return { provider, providerIndex: resolution.providerIndex, model: resolution.target.model };
}
