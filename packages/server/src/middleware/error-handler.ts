import { InvalidRequestError, type Logger, ProviderAPIError, redactText } from '@conduit/core';
import { openAIDoorPaths } from '../inbound/openai-doors.js';
import { toOpenAIErrorBody } from '../inbound/common/openai-error.js';
import type { Context, ErrorHandler } from 'hono';
import type { ConduitEnv, ConduitRouteHeaders } from '../conduit-env.js';

export type { ConduitRouteHeaders };
import { attemptsOf } from '../resilience/attempt-count.js';
import { mapError } from './map-error.js';

/** Routing headers for a response: `x-conduit-provider`, `x-conduit-model`, `x-conduit-route`. */
export function routeHeaders(route: ConduitRouteHeaders | undefined): Record<string, string> {
  return route ? writeRouteHeaders({}, route) : {};
}

/** Writes the {@link routeHeaders} into `headers` (the answer's own object, not a copy). */
export function writeRouteHeaders(
  headers: Record<string, string>,
  route: ConduitRouteHeaders,
): Record<string, string> {
  headers['x-conduit-provider'] = route.provider;
  headers['x-conduit-model'] = route.model;
  headers['x-conduit-route'] = route.route;
  return headers;
}

/**
 * The one place errors become HTTP responses (Hono `onError`). Expected errors are logged at
 * debug; unexpected ones at error level with their stack, which never reaches the client.
 */
export function createErrorHandler(
  logger: Logger,
  getSecrets: () => readonly string[] = () => [],
): ErrorHandler<ConduitEnv> {
  return (error: Error, context: Context<ConduitEnv>) => {
    const mapped = mapError(error);
    // An upstream may echo the key it was sent (OpenAI's "Incorrect API key provided: sk-…").
    mapped.body.error.message = redactText(mapped.body.error.message, getSecrets());
    if (mapped.expected) {
      logger.debug('request failed', { status: mapped.status, message: mapped.body.error.message });
    } else {
      logger.error('unexpected error', { message: error.message, stack: error.stack });
    }
    const headers = new Headers({
      ...mapped.headers,
      'content-type': 'application/json',
      ...routeHeaders(context.get('conduitRoute')),
    });
    const requestId = context.get('conduitRequestId');
    if (requestId) headers.set('x-conduit-request-id', requestId);
    const attempts = attemptsOf(error);
    if (attempts !== undefined) headers.set('x-conduit-attempts', String(attempts));
    // Clients (the Anthropic SDK, Claude Code) pace their retries by the upstream's retry-after.
    if (ProviderAPIError.isInstance(error) && error.retryAfterMs !== undefined) {
      headers.set('retry-after', String(Math.ceil(error.retryAfterMs / 1000)));
    }
    const body = openAIDoorPaths.includes(context.req.path)
      ? toOpenAIErrorBody(
          mapped.body.error,
          InvalidRequestError.isInstance(error) ? error.field : undefined,
        )
      : mapped.body;
    return new Response(JSON.stringify(body), { status: mapped.status, headers });
  };
}
