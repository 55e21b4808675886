import { ConduitError } from '@conduit/conduit/router';
import { type ExitCode, exitCodes } from './exit-codes.js';

const name = 'CLIError';
const marker = `conduit.error.${name}`;
const symbol = Symbol.for(marker);

/**
 * A failure the CLI reports to the user as a message (no stack trace) with a documented exit code.
 * Commands throw it; `runCli` prints `message` to stderr and exits with `exitCode`.
 */
export class CLIError extends ConduitError {
  private readonly [symbol] = true;
  readonly exitCode: ExitCode;

  constructor({
    message,
    exitCode = exitCodes.failure,
    cause,
  }: {
    message: string;
    exitCode?: ExitCode;
    cause?: unknown;
  }) {
    super({ name, message, cause });
    this.exitCode = exitCode;
  }

  static override isInstance(error: unknown): error is CLIError {
    return ConduitError.hasMarker(error, marker);
  }
}
