import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { CommandModule } from 'yargs';
import {
  applyEnvironmentChanges,
  buildClaudeEnvironmentChanges,
  buildCustomHeaders,
  isNonInteractive,
} from '../lib/claude-environment.js';
import { CLIError } from '../lib/cli-error.js';
import { ensureGatewayRunning } from '../lib/ensure-gateway.js';
import { exitCodes } from '../lib/exit-codes.js';
import { requestExitCode } from '../lib/exit-status.js';
import type { GlobalOptions } from '../lib/global-options.js';
import { loadCliConfig } from '../lib/load-cli-config.js';
import { resolveConduitPaths } from '../lib/conduit-paths.js';
import { prepareClaudeLaunch } from '../lib/prepare-claude-launch.js';

/** Arguments after `code`, handed to claude untouched (set by `runCli`, not parsed by yargs). */
let claudeArguments: string[] = [];

/** Called by `runCli` with everything after the `code` word. */
export function setClaudeArguments(args: string[]): void {
  claudeArguments = [...args];
}

/** Runs claude and resolves with the exit code to pass on (128 + n when killed by signal n). */
function runClaude(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdinIgnored: boolean,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env,
      stdio: [stdinIgnored ? 'ignore' : 'inherit', 'inherit', 'inherit'],
      shell: false,
    });
    // Ctrl-C reaches claude directly (same process group); conduit must not die before it.
    const ignoreInterrupt = () => {};
    const forwardTerminate = () => child.kill('SIGTERM');
    process.on('SIGINT', ignoreInterrupt);
    process.on('SIGTERM', forwardTerminate);
    const cleanUp = () => {
      process.off('SIGINT', ignoreInterrupt);
      process.off('SIGTERM', forwardTerminate);
    };
    child.on('error', error => {
      cleanUp();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        reject(
          new CLIError({
            message: `claude not found ("${command}"). Install Claude Code (npm install -g @anthropic-ai/claude-code) or set CLAUDE_PATH (environment or config) to the claude binary.`,
            exitCode: exitCodes.claudeNotFound,
          }),
        );
      } else if (code === 'EACCES') {
        reject(
          new CLIError({
            message: `claude ("${command}") is not executable; check its permissions or CLAUDE_PATH.`,
            exitCode: exitCodes.claudeNotExecutable,
          }),
        );
      } else {
        reject(
          new CLIError({
            message: `could not run claude ("${command}"): ${error.message}`,
            cause: error,
          }),
        );
      }
    });
    child.on('exit', (code, signal) => {
      cleanUp();
      if (code !== null) resolve(code);
      else resolve(128 + (signal ? (constants.signals[signal] ?? 1) : 1));
    });
  });
}

/**
 * `conduit code [args…]`: start Conduit if needed and run Claude Code through it. Every argument
 * after `code` reaches claude exactly as typed, with no shell in between.
 */
export const codeCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'code [args..]',
  describe:
    'Run Claude Code through Conduit (starts the gateway if needed); args go to claude untouched',
  builder: yargs =>
    yargs
      .strict(false)
      .example('$0 code', 'interactive Claude Code through Conduit')
      .example(
        '$0 code -p "explain this repo" --model sonnet',
        'headless; every argument is passed as typed',
      )
      .epilog(
        'Everything after `code` is handed to claude as is, so conduit options (--config) go before it: conduit --config my.json code -p "hi". claude is found on PATH, or set CLAUDE_PATH in the environment or the config.',
      ),
  handler: async argv => {
    requestExitCode(
      await launchClaudeCode({ configPath: argv.config, claudeArgs: claudeArguments }),
    );
  },
};

/**
 * Starts the gateway if needed and runs claude through it (`conduit code`, `conduit <preset>`):
 * onboarding marked done on a fresh machine, the status line settings added, `--no-statusline`
 * taken out of claude's arguments. Resolves with claude's exit code.
 */
export async function launchClaudeCode(options: {
  configPath: string | undefined;
  claudeArgs: string[];
}): Promise<number> {
  const loaded = await loadCliConfig({ configPath: options.configPath });
  // A malformed SYNAPSE_* fails here, before a daemon is started for nothing.
  buildCustomHeaders(process.env);
  const baseURL = await ensureGatewayRunning(options.configPath);
  const changes = buildClaudeEnvironmentChanges({
    config: loaded.config,
    baseURL,
    baseEnv: process.env,
    // Claude Code's Bash tool calls inherit its environment: no provider key goes with it.
    dropKeyVariables: true,
  });
  const env = applyEnvironmentChanges(process.env, changes);
  const command = process.env.CLAUDE_PATH || loaded.config.CLAUDE_PATH || 'claude';
  const args = await prepareClaudeLaunch({
    claudeArgs: options.claudeArgs,
    configPath: options.configPath,
    env: process.env,
    conduitHome: resolveConduitPaths(process.env).home,
  });
  return runClaude(command, args, env, isNonInteractive(loaded.config, process.env));
}
