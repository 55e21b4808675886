/**
 * Entry point of the `conduit` and `ccr` binaries.
 * @module
 */
import { parseStartArguments } from './start/start-arguments.js';

/** `statusline` runs many times a minute inside Claude Code: it skips loading the whole CLI. */
function isStatusLine(args: string[]): boolean {
  if (args[0] === 'statusline') return true;
  return (args[0] === '--config' || args[0] === '-c') && args[2] === 'statusline';
}

const args = process.argv.slice(2);
/** `start` (and the daemon it spawns) loads what serving needs, not the parser and every command. */
const startArguments = parseStartArguments(args);
let exitCode: number;
if (startArguments) {
  const { runStart } = await import('./start/run-start.js');
  exitCode = await runStart(startArguments, args);
} else if (isStatusLine(args)) {
  const { parseStatusLineArguments, runStatusLine } = await import(
    './statusline/run-statusline.js'
  );
  exitCode = await runStatusLine(parseStatusLineArguments(args));
} else {
  const { runCli } = await import('./cli.js');
  exitCode = await runCli(args);
}
// Exit explicitly: keep-alive sockets of health checks must not hold a finished command open.
process.exit(exitCode);
