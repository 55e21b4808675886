import { readConfigSource, validateConduitConfig } from '@conduit/conduit';
import type { CommandModule } from 'yargs';
import type { GlobalOptions } from '../lib/global-options.js';
import { formatIssuesForTerminal, loadCliConfig } from '../lib/load-cli-config.js';

export interface ConfigValidateArguments extends GlobalOptions {
  json: boolean;
}

/** `conduit config validate`: exit 0 when the config can work, 2 with every problem when not. */
export const configValidateCommand: CommandModule<GlobalOptions, ConfigValidateArguments> = {
  command: 'validate',
  describe: 'Check the config; every problem with its path and a fix (exit 2 when invalid)',
  builder: yargs =>
    yargs.option('json', { type: 'boolean', default: false, describe: 'Print JSON' }),
  handler: async argv => {
    // Errors make loadCliConfig throw (exit 2, every problem listed); warnings are collected after.
    const loaded = await loadCliConfig({ configPath: argv.config });
    const source = await readConfigSource({ path: loaded.path ?? undefined });
    const warnings = validateConduitConfig(source.raw, {
      env: process.env,
      source: loaded.path ?? 'defaults',
    }).filter(issue => issue.severity === 'warning');
    if (argv.json) {
      process.stdout.write(
        `${JSON.stringify({ valid: true, path: loaded.path, source: loaded.source, warnings }, null, 2)}\n`,
      );
      return;
    }
    const where = loaded.path ?? 'no config file (built-in defaults)';
    const lines = [`✔ ${where} is valid (${loaded.config.Providers.length} provider(s))`];
    if (warnings.length > 0) lines.push(formatIssuesForTerminal(warnings, null, 'Warnings'));
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
