import type { ParsedServerConfig } from '@conduit/core';
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
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
 * The browser-origin guard: without `APIKEY`, a request carrying an `Origin` that is neither
 * allowed by `server.cors` nor a loopback page is refused with 403 (claude-code-router did the
 * same): otherwise any web page could make the user's browser spend their provider keys through
 * a local gateway.
 */
export function checkBrowserOrigin(
  setting: CorsSetting,
  apiKey: string | undefined,
  origin: string | undefined,
): void {
  if (origin && !apiKey && !isOriginAllowed(setting, origin) && !isLoopbackOrigin(origin)) {
    throw new ForbiddenOriginError({ origin });
  }
}

/**
 * Hono's CORS middleware for a `server.cors` setting other than false: `true` reflects the
 * request's origin, a list allows exactly those origins (preflights are answered before
 * authentication, as browsers send them without credentials). `server.cors` false (the default)
 * sends no CORS headers at all, so browsers cannot read answers. One handler is kept, for the
 * current setting (config reloads are rare).
 */
export function createCorsHandlers(): (setting: Exclude<CorsSetting, false>) => MiddlewareHandler {
  let handlerSetting: CorsSetting | undefined;
  let handlerKey: string | undefined;
  let handler: MiddlewareHandler | undefined;
  return setting => {
    // The same config object between reloads: no need to compare its contents.
    if (handler && setting === handlerSetting) return handler;
    handlerSetting = setting;
    const key = JSON.stringify(setting);
    if (!handler || key !== handlerKey) {
      handler = cors({
        origin: origin => (isOriginAllowed(setting, origin) ? origin : null),
        exposeHeaders: exposedHeaders,
        maxAge: 600,
      });
      handlerKey = key;
    }
    return handler;
  };
}
