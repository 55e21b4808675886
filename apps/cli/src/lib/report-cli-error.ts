/**
 * How the CLI reports a failed command: a {@link CLIError}'s message and exit code, anything else
 * as an unexpected error (its stack only with `CONDUIT_DEBUG`). Secrets are redacted.
 * @module
 */
import { redactText } from '@conduit/conduit/router';
import { CLIError } from './cli-error.js';
import { exitCodes } from './exit-codes.js';

/** Writes `error` to stderr and returns the exit code; `args` name the command for yargs' hints. */
export function reportCliError(error: unknown, args: readonly string[]): number {
  if (CLIError.isInstance(error)) {
    const unknownCommand = args.find(token => !token.startsWith('-'));
    const message = error.message.startsWith('Did you mean')
      ? `unknown command "${unknownCommand}". ${error.message}`
      : error.message;
    process.stderr.write(`conduit: ${redactText(message)}\n`);
    if (error.exitCode === exitCodes.usage)
      process.stderr.write('Run `conduit --help` for the commands and options.\n');
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`conduit: unexpected error: ${redactText(message)}\n`);
  if (process.env.CONDUIT_DEBUG && error instanceof Error && error.stack) {
    process.stderr.write(`${redactText(error.stack)}\n`);
  }
  return exitCodes.failure;
}
