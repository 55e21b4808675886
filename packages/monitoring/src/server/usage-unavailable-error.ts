import { ConduitError } from '@conduit/core';

const name = 'UsageUnavailableError';
const marker = `conduit.error.${name}`;
const symbol = Symbol.for(marker);

/** `GET /api/usage` on a server without a usage ledger (503). */
export class UsageUnavailableError extends ConduitError {
  private readonly [symbol] = true;

  constructor({ reason }: { reason: string }) {
    super({
      name,
      httpStatus: 503,
      errorType: 'api_error',
      message: `Usage statistics are not available: ${reason}. Enable them with "usage": { "enabled": true } in the config.`,
    });
  }

  static override isInstance(error: unknown): error is UsageUnavailableError {
    return ConduitError.hasMarker(error, marker);
  }
}
