/**
 * The `conduit` (and `ccr`) command line: a yargs parser with one module per command.
 * @module
 */
import yargs from 'yargs';
import { activateCommand } from './commands/activate.js';
import { codeCommand, setClaudeArguments } from './commands/code.js';
import { configCommand } from './commands/config.js';
import { keysCommand } from './commands/keys.js';
import { modelCommand } from './commands/model.js';
import { presetCommand } from './commands/preset.js';
import { runPreset } from './commands/run-preset.js';
import { restartCommand } from './commands/restart.js';
import { routeCommand } from './commands/route.js';
import { startCommand } from './commands/start.js';
import { statusCommand } from './commands/status.js';
import { statusLineCommand } from './commands/statusline.js';
import { stopCommand } from './commands/stop.js';
import { uiCommand } from './commands/ui.js';
import { usageCommand } from './commands/usage.js';
import { CLIError } from './lib/cli-error.js';
import { exitCodes, exitCodesHelp } from './lib/exit-codes.js';
import { takeRequestedExitCode } from './lib/exit-status.js';
import type { GlobalOptions } from './lib/global-options.js';
import { commandWords } from './lib/command-words.js';
import { reportCliError } from './lib/report-cli-error.js';
import { isPresetInstalled } from './lib/preset-store.js';
import { conduitVersion } from './lib/version.js';

/** Global options that take a value, so `conduit --config x code …` finds `code` correctly. */
const globalOptionsWithValue = new Set(['--config', '-c']);

/**
 * Splits argv at the `code` command: everything after it belongs to claude and must not be parsed
 * (CCR re-serialised these through minimist and lost positional prompts, its issue #402).
 */
export function splitCodeArguments(argv: string[]): {
  conduitArgs: string[];
  claudeArgs: string[] | null;
} {
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index] ?? '';
    if (token === '--') break;
    if (globalOptionsWithValue.has(token)) {
      index++;
      continue;
    }
    if (token.startsWith('-')) continue;
    if (token === 'code')
      return { conduitArgs: argv.slice(0, index + 1), claudeArgs: argv.slice(index + 1) };
    break;
  }
  return { conduitArgs: argv, claudeArgs: null };
}

const description = [
  'Conduit: the LLM routing gateway for Claude Code and agent fleets (a drop-in for ccr).',
  '',
  'Config: --config, else $CONDUIT_HOME/config.json (default ~/.conduit), else ~/.claude-code-router/config.json.',
].join('\n');

/** Builds the parser (exposed for tests and the meta-package). */
export function createCLIParser(argv: string[]) {
  return yargs(argv)
    .scriptName('conduit')
    .usage(`${description}\n\nUsage: $0 <command> [options]`)
    .option('config', {
      alias: 'c',
      type: 'string',
      global: true,
      describe: 'Config file (JSON5) to use instead of the default locations',
    })
    .command(startCommand)
    .command(stopCommand)
    .command(restartCommand)
    .command(statusCommand)
    .command(codeCommand)
    .command(activateCommand)
    .command(routeCommand)
    .command(usageCommand)
    .command(keysCommand)
    .command(configCommand)
    .command(uiCommand)
    .command(statusLineCommand)
    .command(modelCommand)
    .command(presetCommand)
    .demandCommand(1, 'Name a command (see the list above).')
    .recommendCommands()
    .strict()
    .help()
    .alias('help', 'h')
    .version(conduitVersion)
    .alias('version', 'v')
    .epilog(
      `${exitCodesHelp}\n\nEnvironment: CONDUIT_HOME (state directory), CLAUDE_PATH (claude binary), PORT (when the config sets no port),\nNON_INTERACTIVE_MODE (conduit code in CI), SYNAPSE_* (forwarded as x-synapse-* headers by conduit code).`,
    )
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error;
      throw new CLIError({ message: message ?? 'invalid command line', exitCode: exitCodes.usage });
    });
}

/** The first word that is not a global option (and its position), if any. */
function firstCommandWord(argv: string[]): { index: number; word: string } | undefined {
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index] ?? '';
    if (token === '--') return undefined;
    if (globalOptionsWithValue.has(token)) {
      index++;
      continue;
    }
    if (!token.startsWith('-')) return { index, word: token };
  }
  return undefined;
}

/** Runs the CLI with `argv` (without `node` and the script) and resolves with the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const { conduitArgs, claudeArgs } = splitCodeArguments(argv);
  if (claudeArgs !== null) setClaudeArguments(claudeArgs);
  const first = claudeArgs === null ? firstCommandWord(argv) : undefined;
  try {
    if (first && !commandWords.has(first.word) && (await isPresetInstalled(first.word)))
      return await runPreset(first.word, argv.slice(first.index + 1));
    await createCLIParser(conduitArgs).parseAsync();
    return takeRequestedExitCode();
  } catch (error) {
    return reportCliError(error, conduitArgs);
  }
}

export type { GlobalOptions };
