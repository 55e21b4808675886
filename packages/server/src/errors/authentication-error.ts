import { ConduitError } from '@conduit/core';

const name = 'AuthenticationError';
const marker = `conduit.error.${name}`;
const symbol = Symbol.for(marker);

/** The client sent no API key or a wrong one (401 `authentication_error`). */
export class AuthenticationError extends ConduitError {
  private readonly [symbol] = true;

  constructor({ message }: { message: string }) {
    super({ name, message, httpStatus: 401 });
  }

  static override isInstance(error: unknown): error is AuthenticationError {
    return ConduitError.hasMarker(error, marker);
  }
}
