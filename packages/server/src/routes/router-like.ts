import type { RoutingContext, RoutingDecision } from '@conduit/core';

/** The part of core's `ConduitRouter` the server uses (so tests and plugins can substitute it). */
export interface ConduitRouterLike {
  route(context: RoutingContext): Promise<RoutingDecision>;
}
