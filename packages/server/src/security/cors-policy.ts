import type { ParsedServerConfig } from '@conduit/core';
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { ConduitEnv } from '../conduit-env.js';
import { ForbiddenOriginError } from '../errors/forbidden-origin-error.js';
import { isLoopbackHost } from './bind-guard.js';

type CorsSetting = ParsedServerConfig['cors'];

/** Response headers browsers may read: the routing headers and the request id. */
const exposedHeaders = [
  'x-conduit-provider',
  'x-conduit-model',
  'x-conduit-route',
  'x-conduit-request-id',
  'x-conduit-attempts',
  'retry-after',
];

/** Whether `server.cors` lets `origin` in: `true` reflects any origin, a list allows those. */
export function isOriginAllowed(setting: CorsSetting, origin: string): boolean {
  if (setting === true) return true;
  if (Array.isArray(setting)) return setting.includes(origin);
  return false;
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    return isLoopbackHost(new URL(origin).hostname);
  } catch {
    return false;
  }
}

/**
 * CORS and the browser-origin guard, from the current config (read per request, so reloads
 * apply):
 * - `server.cors` false (the default): no CORS headers at all, so browsers cannot read answers;
 *   `true` reflects the request's origin; a list allows exactly those origins (preflights are
 *   answered before authentication, as browsers send them without credentials).
 * - Without `APIKEY`, a request carrying an `Origin` that is neither allowed by `server.cors` nor
 *   a loopback page is refused with 403 (claude-code-router did the same): otherwise any web page
 *   could make the user's browser spend their provider keys through a local gateway.
 */
export function createCorsPolicy(
  getConfig: () => {
    cors: CorsSetting;
    apiKey: string | undefined;
  },
): MiddlewareHandler<ConduitEnv> {
  const handlers = new Map<string, MiddlewareHandler>();
  const handlerFor = (setting: CorsSetting): MiddlewareHandler => {
    const key = JSON.stringify(setting);
    let handler = handlers.get(key);
    if (!handler) {
      handler = cors({
        origin: origin => (isOriginAllowed(setting, origin) ? origin : null),
        exposeHeaders: exposedHeaders,
        maxAge: 600,
      });
      // Config reloads are rare; keep only the current setting's handler.
      handlers.clear();
      handlers.set(key, handler);
    }
    return handler;
  };
  return async (context, next) => {
    const { cors: setting, apiKey } = getConfig();
    const origin = context.req.header('origin');
    if (origin && !apiKey && !isOriginAllowed(setting, origin) && !isLoopbackOrigin(origin)) {
      throw new ForbiddenOriginError({ origin });
    }
    if (setting === false) return next();
    return handlerFor(setting)(context, next);
  };
}
