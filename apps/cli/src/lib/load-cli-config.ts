/**
 * Loads the configuration the way every command does, turning a bad config into exit code 2 with
 * every problem listed.
 * @module
 */
import {
  type ParsedConduitConfig,
  ConfigError,
  type ConfigIssue,
  redactText,
} from '@conduit/conduit/router';
import { loadConduitConfig } from '@conduit/conduit/server';
import { CLIError } from './cli-error.js';
import { exitCodes } from './exit-codes.js';

/** A loaded configuration and where it came from. */
export interface LoadedConfig {
  config: ParsedConduitConfig;
  /** The file read, `null` when there was none. */
  path: string | null;
  source: 'explicit' | 'conduit' | 'ccr' | 'none';
}

/** Renders config issues the way the CLI prints them: one problem per line, with its fix. */
export function formatIssuesForTerminal(
  issues: ConfigIssue[],
  path?: string | null,
  title = 'Invalid configuration',
): string {
  const noun = title === 'Invalid configuration' ? 'problem' : 'warning';
  const head = `${title}${path ? ` in ${path}` : ''}: ${issues.length} ${noun}${issues.length === 1 ? '' : 's'}`;
  const lines = issues.map(issue => {
    const hint = issue.hint ? `\n      fix: ${issue.hint}` : '';
    return `  - ${issue.path || '(root)'}: ${issue.message}${hint}`;
  });
  return redactText([head, ...lines].join('\n'));
}

/**
 * Loads `--config`, `$CONDUIT_HOME/config.json` or the CCR config, as `@conduit/core` resolves it.
 * Throws a {@link CLIError} with exit code 2 listing every problem when the config is invalid.
 */
export async function loadCliConfig({
  configPath,
  env = process.env,
}: {
  configPath?: string;
  env?: NodeJS.ProcessEnv;
}): Promise<LoadedConfig> {
  try {
    // The same validation as `conduit start`'s server and hot reload (transformer names included).
    const loaded = await loadConduitConfig({ path: configPath, env });
    return { config: loaded.config, path: loaded.path ?? null, source: loaded.source };
  } catch (error) {
    if (ConfigError.isInstance(error)) {
      throw new CLIError({
        message: formatIssuesForTerminal(error.issues, error.source ?? configPath),
        exitCode: exitCodes.invalidConfig,
        cause: error,
      });
    }
    throw error;
  }
}
