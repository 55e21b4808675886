import type { MiddlewareHandler } from 'hono';
import type { ConduitEnv } from '../conduit-env.js';
import { ForbiddenHostError } from '../errors/forbidden-host-error.js';
import { isLoopbackHost } from './bind-guard.js';

/** The host name of a `Host` header value: `[::1]:3456` → `::1`, `localhost:3456` → `localhost`. */
export function hostHeaderName(value: string): string {
  const trimmed = value.trim();
  if (trimmed.startsWith('[')) {
    const close = trimmed.indexOf(']');
    return close === -1 ? trimmed : trimmed.slice(1, close);
  }
  const colon = trimmed.indexOf(':');
  // More than one colon without brackets: a bare IPv6 address, no port.
  if (colon === -1 || trimmed.indexOf(':', colon + 1) !== -1) return trimmed;
  return trimmed.slice(0, colon);
}

/**
 * DNS rebinding guard: on a loopback bind without `APIKEY`, a request whose `Host` names neither a
 * loopback address nor the bound one gets 403. Not checked: a public bind (it requires `APIKEY`),
 * a loopback bind with `APIKEY` (a rebound page cannot present the key, and a local reverse proxy
 * may forward its own `Host`), and in-process use without a listener.
 */
export function createHostGuard(
  getBoundHost: () => string | undefined,
  hasAPIKey: () => boolean,
): MiddlewareHandler<ConduitEnv> {
  // The bound address changes only on a restart and clients send the same `Host` every time: the
  // last answers are kept so a request does not parse and classify both addresses again.
  let checkedBound: string | undefined;
  let boundIsLoopback = false;
  let acceptedHost: string | undefined;
  return async (context, next) => {
    const boundHost = getBoundHost();
    if (!boundHost) return next();
    if (boundHost !== checkedBound) {
      checkedBound = boundHost;
      boundIsLoopback = isLoopbackHost(boundHost);
      acceptedHost = undefined;
    }
    if (!boundIsLoopback || hasAPIKey()) return next();
    const host = context.req.header('host');
    if (!host || host === acceptedHost) return next();
    const name = hostHeaderName(host).toLowerCase();
    if (isLoopbackHost(name) || name === boundHost.toLowerCase()) {
      acceptedHost = host;
      return next();
    }
    throw new ForbiddenHostError({ host });
  };
}
