import { ConduitError } from '@conduit/core';

const name = 'ShuttingDownError';
const marker = `conduit.error.${name}`;
const symbol = Symbol.for(marker);

/**
 * A request arrived while the server drains for shutdown, or was still running when the shutdown
 * deadline passed (503; the client may retry). `message` tells which.
 */
export class ShuttingDownError extends ConduitError {
  private readonly [symbol] = true;

  constructor(message = 'Conduit is shutting down and takes no new requests; retry in a moment.') {
    super({ name, httpStatus: 503, message });
  }

  static override isInstance(error: unknown): error is ShuttingDownError {
    return ConduitError.hasMarker(error, marker);
  }
}
