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
 * loopback address nor the bound one is refused ({@link ForbiddenHostError}, a 403). Not checked:
 * a public bind (it requires `APIKEY`), a loopback bind with `APIKEY` (a rebound page cannot
 * present the key, and a local reverse proxy may forward its own `Host`), and in-process use
 * without a listener. The check reads the `Host` only when it applies.
 */
export function createHostCheck(
  getBoundHost: () => string | undefined,
): (hasAPIKey: boolean, request: { header(name: 'host'): string | undefined }) => void {
  // The bound address changes only on a restart and clients send the same `Host` every time: the
  // last answers are kept so a request does not parse and classify both addresses again.
  let checkedBound: string | undefined;
  let boundIsLoopback = false;
  let acceptedHost: string | undefined;
  return (hasAPIKey, request) => {
    const boundHost = getBoundHost();
    if (!boundHost) return;
    if (boundHost !== checkedBound) {
      checkedBound = boundHost;
      boundIsLoopback = isLoopbackHost(boundHost);
      acceptedHost = undefined;
    }
    if (!boundIsLoopback || hasAPIKey) return;
    const host = request.header('host');
    if (!host || host === acceptedHost) return;
    const name = hostHeaderName(host).toLowerCase();
    if (isLoopbackHost(name) || name === boundHost.toLowerCase()) {
      acceptedHost = host;
      return;
    }
    throw new ForbiddenHostError({ host });
  };
}
