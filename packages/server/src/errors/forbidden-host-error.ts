import { ConduitError } from '@conduit/core';

const name = 'ForbiddenHostError';
const marker = `conduit.error.${name}`;
const symbol = Symbol.for(marker);

/**
 * A request to a loopback-bound Conduit named another host in its `Host` header (403
 * `permission_error`): the signature of DNS rebinding, where a web page's own domain is made to
 * resolve to 127.0.0.1 so the page can read `/api/usage`, `/metrics` or `/health`.
 */
export class ForbiddenHostError extends ConduitError {
  private readonly [symbol] = true;

  constructor({ host }: { host: string }) {
    super({
      name,
      httpStatus: 403,
      message: `The Host header ${JSON.stringify(host.slice(0, 100))} is not this Conduit's address. Conduit listens on loopback and answers only requests addressed to localhost or a loopback address; to serve other names, listen on them ("server.host") with "APIKEY" set.`,
    });
  }

  static override isInstance(error: unknown): error is ForbiddenHostError {
    return ConduitError.hasMarker(error, marker);
  }
}
