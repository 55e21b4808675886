import { ConduitError } from '@conduit/core';

const name = 'ForbiddenOriginError';
const marker = `conduit.error.${name}`;
const symbol = Symbol.for(marker);

/**
 * A browser page from another origin tried to use a Conduit that has no `APIKEY` (403
 * `permission_error`). Without this, any web page could spend the user's provider keys through a
 * gateway on localhost with a "simple" cross-origin POST.
 */
export class ForbiddenOriginError extends ConduitError {
  private readonly [symbol] = true;
  readonly origin: string;

  constructor({ origin }: { origin: string }) {
    super({
      name,
      httpStatus: 403,
      message: `Requests from the web origin ${origin} are not allowed. Add it to "server.cors" in the Conduit config, or set "APIKEY" and send it with each request.`,
    });
    this.origin = origin;
  }

  static override isInstance(error: unknown): error is ForbiddenOriginError {
    return ConduitError.hasMarker(error, marker);
  }
}
