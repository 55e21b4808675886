import type { CommandModule } from 'yargs';
import {
  buildClaudeEnvironmentChanges,
  buildOpenAIEnvironmentChanges,
} from '../lib/claude-environment.js';
import { resolveConduitPaths } from '../lib/conduit-paths.js';
import type { GlobalOptions } from '../lib/global-options.js';
import { baseURLFor } from '../lib/http-health.js';
import { loadCliConfig } from '../lib/load-cli-config.js';
import { readInstanceState } from '../lib/pid-file.js';
import { formatShellExports, type ShellKind, supportedShells } from '../lib/shell-exports.js';

export interface ActivateArguments extends GlobalOptions {
  shell: ShellKind;
  openai: boolean;
}

/**
 * `conduit activate` / `conduit env`: print the variables that send Claude Code or an Anthropic SDK
 * through Conduit, for `eval "$(conduit activate)"`; with `--openai`, the ones for OpenAI SDKs and
 * OpenAI-speaking agents.
 */
export const activateCommand: CommandModule<GlobalOptions, ActivateArguments> = {
  command: 'activate',
  aliases: ['env'],
  describe: 'Print export lines that point Claude Code / Anthropic SDKs at Conduit (eval them)',
  builder: yargs =>
    yargs
      .option('shell', {
        type: 'string',
        choices: supportedShells,
        default: 'posix' as ShellKind,
        describe: 'Syntax: posix (sh, bash, zsh), fish or powershell',
      })
      .option('openai', {
        type: 'boolean',
        default: false,
        describe:
          'Print OPENAI_BASE_URL / OPENAI_API_KEY for OpenAI SDKs and agents (Codex CLI, …)',
      })
      .example('eval "$($0 activate --openai)"', 'OpenAI SDKs and agents')
      .example('eval "$($0 activate)"', 'bash / zsh')
      .example('$0 activate --shell fish | source', 'fish')
      .example('$0 activate --shell powershell | Invoke-Expression', 'PowerShell'),
  handler: async argv => {
    const loaded = await loadCliConfig({ configPath: argv.config });
    const state = await readInstanceState(resolveConduitPaths(process.env).pidFile);
    // The running instance's address wins; otherwise where `conduit start` would listen.
    const { config } = loaded;
    const fromEnv = Number.parseInt(process.env.PORT ?? '', 10);
    const port =
      state.state === 'running' && state.info.port !== null
        ? state.info.port
        : (config.server.port ?? config.PORT ?? (Number.isNaN(fromEnv) ? 3456 : fromEnv));
    const host =
      state.state === 'running'
        ? state.info.host
        : (config.server.host ?? config.HOST ?? '127.0.0.1');
    if (argv.openai) {
      const openAIChanges = buildOpenAIEnvironmentChanges({
        config,
        baseURL: baseURLFor(host, port),
        baseEnv: process.env,
      });
      process.stdout.write(formatShellExports(openAIChanges, argv.shell));
      return;
    }
    const changes = buildClaudeEnvironmentChanges({
      config,
      baseURL: baseURLFor(host, port),
      baseEnv: process.env,
    });
    // CI-style variables belong to `conduit code` runs only, not to the user's shell.
    for (const name of ['CI', 'FORCE_COLOR', 'NODE_NO_READLINE', 'TERM']) delete changes.set[name];
    process.stdout.write(formatShellExports(changes, argv.shell));
  },
};
