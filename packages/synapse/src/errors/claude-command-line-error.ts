import { ConduitError } from '@conduit/core';

const name = 'ClaudeCommandLineError';
const marker = `conduit.error.${name}`;
const symbol = Symbol.for(marker);

/** A Claude Code command line that cannot be turned into a model request (e.g. `claude mcp list`). */
export class ClaudeCommandLineError extends ConduitError {
  private readonly [symbol] = true;
  /** The argument at fault, when there is one. */
  readonly argument?: string;

  constructor({
    message,
    argument,
    cause,
  }: { message: string; argument?: string; cause?: unknown }) {
    super({ name, message, cause });
    this.argument = argument;
  }

  static override isInstance(error: unknown): error is ClaudeCommandLineError {
    return ConduitError.hasMarker(error, marker);
  }
}
