/**
 * @conduit/cli: the `conduit` (and `ccr`) command. The library entry lets the meta-package and
 * embedders run the CLI in-process.
 * @module
 */
export { createCLIParser, runCli, splitCodeArguments } from './cli.js';
export { CLIError } from './lib/cli-error.js';
export { type ExitCode, exitCodes } from './lib/exit-codes.js';
export {
  backgroundModelMarker,
  buildClaudeEnvironmentChanges,
  type ClaudeEnvironmentOptions,
  type EnvironmentChanges,
} from './lib/claude-environment.js';
export {
  migrateCCRConfig,
  type MigrationNote,
  type MigrationResult,
} from './lib/migrate-ccr-config.js';
