import { ConduitError } from '@conduit/core';

const name = 'PluginTimeoutError';
const marker = `conduit.error.${name}`;
const symbol = Symbol.for(marker);

/** A plugin hook (or load step) did not settle within its time budget. */
export class PluginTimeoutError extends ConduitError {
  private readonly [symbol] = true;
  readonly timeoutMs: number;

  constructor({ message, timeoutMs }: { message: string; timeoutMs: number }) {
    super({ name, message });
    this.timeoutMs = timeoutMs;
  }

  static override isInstance(error: unknown): error is PluginTimeoutError {
    return ConduitError.hasMarker(error, marker);
  }
}
