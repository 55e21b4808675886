/**
 * Entry point of the `conduit` and `ccr` binaries.
 * @module
 */

/** `statusline` runs many times a minute inside Claude Code: it skips loading the whole CLI. */
function isStatusLine(args: string[]): boolean {
  if (args[0] === 'statusline') return true;
  return (args[0] === '--config' || args[0] === '-c') && args[2] === 'statusline';
}

const args = process.argv.slice(2);
let exitCode: number;
if (isStatusLine(args)) {
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
export {};
