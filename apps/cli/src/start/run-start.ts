/**
 * `conduit start` without the command-line parser: what `bin.ts` runs for the arguments
 * {@link parseStartArguments} recognises. It loads only the start command and what serving needs
 * (no yargs, no other command), so the gateway, and the daemon `start --daemon` spawns, come up
 * sooner and smaller. Errors are reported as `runCli` reports them.
 * @module
 */
import { runStartCommand } from '../commands/start.js';
import { takeRequestedExitCode } from '../lib/exit-status.js';
import { reportCliError } from '../lib/report-cli-error.js';
import type { StartArguments } from './start-arguments.js';

/** Runs `conduit start` with already parsed arguments and resolves with the exit code. */
export async function runStart(argv: StartArguments, args: readonly string[]): Promise<number> {
  try {
    await runStartCommand(argv);
    return takeRequestedExitCode();
  } catch (error) {
    return reportCliError(error, args);
  }
}
