import type { CustomRouteResult } from '../types/conduit-plugin.js';
import type { MessagesRequest } from '../types/anthropic-messages.js';
import type { RequestRoutingContext, RoutingContext } from '../types/routing.js';
import { lastUserMessageText, requestModel } from './request-inspection.js';
import type { RouteCandidate } from './scenario-rules.js';

/** Requests the router built from a seed-shaped context's `model` and `message`. */
const builtRequests = new WeakSet<object>();

/**
 * Returns a context whose `request` is set. A seed-shaped context (`model`, `message`, no request)
 * gets a one-message request built from them, rebuilt whenever a plugin changed `model` or
 * `message`. Guards against a missing context or request: routing must never crash on odd input.
 */
export function toRequestContext(
  context: RoutingContext | undefined | null,
): RequestRoutingContext {
  if (context === null || typeof context !== 'object') return { request: {} as MessagesRequest };
  const request = context.request;
  const usable = request !== null && typeof request === 'object';
  if (usable && !builtRequests.has(request)) {
    return request === context.request
      ? (context as RequestRoutingContext)
      : { ...context, request };
  }
  const model = typeof context.model === 'string' ? context.model : '';
  const message = typeof context.message === 'string' ? context.message : '';
  if (usable && requestModel(request) === model && lastUserMessageText(request) === message) {
    return context as RequestRoutingContext;
  }
  if (!usable && context.model === undefined && context.message === undefined) {
    return { ...context, request: {} as MessagesRequest };
  }
  const built: MessagesRequest = {
    model,
    max_tokens: 1,
    messages: [{ role: 'user', content: message }],
  };
  builtRequests.add(built);
  return { ...context, request: built };
}

/** True when the router built `request` from a seed-shaped context's `model` and `message`. */
export function isBuiltRequest(request: unknown): boolean {
  return request !== null && typeof request === 'object' && builtRequests.has(request);
}

/** The model rules and the explicit route read: `context.model`, else the request's. */
export function contextModel(context: RequestRoutingContext): string {
  return typeof context.model === 'string' ? context.model : requestModel(context.request);
}

/** The message rules read: `context.message`, else the request's last user text. */
export function contextMessage(context: RequestRoutingContext): string {
  return typeof context.message === 'string'
    ? context.message
    : lastUserMessageText(context.request);
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
