/**
 * Exit codes of the `conduit` command. Scripts may rely on them; they are listed in `conduit --help`.
 * @module
 */
export const exitCodes = {
  /** The command did what it was asked. */
  success: 0,
  /** A runtime failure: port in use, daemon did not come up, unreadable file, no route. */
  failure: 1,
  /** The configuration is invalid; every problem is printed with its path and a hint. */
  invalidConfig: 2,
  /** `conduit status`: Conduit is not running (LSB convention). */
  notRunning: 3,
  /** `conduit start`: another Conduit instance is already running. */
  alreadyRunning: 4,
  /** Bad command line: unknown command or flag, missing or malformed argument. */
  usage: 64,
  /** `conduit code`: the claude binary could not be executed (permission). */
  claudeNotExecutable: 126,
  /** `conduit code`: the claude binary was not found. */
  claudeNotFound: 127,
} as const;

/** One of the documented exit codes. */
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** The table printed at the end of `conduit --help`. */
export const exitCodesHelp = [
  'Exit codes:',
  '  0    success',
  '  1    failure (port in use, daemon did not start, unreadable input, no route)',
  '  2    invalid configuration (every problem is printed with its path)',
  '  3    not running (conduit status)',
  '  4    already running (conduit start)',
  '  64   usage error (unknown command or flag, bad argument)',
  '  126  claude is not executable (conduit code)',
  '  127  claude not found (conduit code)',
  '  any other: conduit code exits with claude’s own exit code',
].join('\n');
