import { ConduitError } from '@conduit/core';

const name = 'RequestTooLargeError';
const marker = `conduit.error.${name}`;
const symbol = Symbol.for(marker);

/** The request body exceeds `server.bodyLimit`. Maps to 413 `request_too_large`. */
export class RequestTooLargeError extends ConduitError {
  private readonly [symbol] = true;
  readonly limitBytes: number;

  constructor({ limitBytes }: { limitBytes: number }) {
    super({
      name,
      httpStatus: 413,
      message: `The request body is larger than the server's limit of ${limitBytes} bytes (server.bodyLimit).`,
    });
    this.limitBytes = limitBytes;
  }

  static override isInstance(error: unknown): error is RequestTooLargeError {
    return ConduitError.hasMarker(error, marker);
  }
}
