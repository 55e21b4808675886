/**
 * The exit code a command asks for without failing (e.g. `status` reporting "not running", `code`
 * passing claude's exit code through). Failures throw a CLIError instead.
 * @module
 */
let requestedExitCode = 0;

/** Records the exit code the process should end with. */
export function requestExitCode(code: number): void {
  requestedExitCode = code;
}

/** Reads and resets the requested exit code. */
export function takeRequestedExitCode(): number {
  const code = requestedExitCode;
  requestedExitCode = 0;
  return code;
}
