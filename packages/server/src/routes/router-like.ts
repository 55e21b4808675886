import type { RoutingContext, RoutingDecision } from '@conduit/core';

/** The part of core's `ConduitRouter` the server uses (so tests and plugins can substitute it). */
export interface ConduitRouterLike {
  /** Routes; may replace or change `context.request` (what is forwarded upstream then). */
  route(context: RoutingContext): Promise<RoutingDecision>;
  /** True when `route` may change the request (plugin hooks); absent means it never does. */
  mayRewriteRequests?(): boolean;
}
