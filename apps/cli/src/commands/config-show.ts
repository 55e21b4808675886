import type { CommandModule } from 'yargs';
import type { GlobalOptions } from '../lib/global-options.js';
import { loadCliConfig } from '../lib/load-cli-config.js';
import { redactSecretValues } from '@conduit/conduit';

export interface ConfigShowArguments extends GlobalOptions {
  json: boolean;
}

/** `conduit config show`: the effective config (defaults applied, `$VAR`s resolved), secrets redacted. */
export const configShowCommand: CommandModule<GlobalOptions, ConfigShowArguments> = {
  command: 'show',
  describe: 'Print the effective config with defaults applied and secrets redacted',
  builder: yargs =>
    yargs.option('json', { type: 'boolean', default: false, describe: 'Print only the JSON' }),
  handler: async argv => {
    const loaded = await loadCliConfig({ configPath: argv.config });
    const redacted = redactSecretValues(loaded.config);
    if (argv.json) {
      process.stdout.write(`${JSON.stringify(redacted, null, 2)}\n`);
      return;
    }
    const origin = loaded.path
      ? `${loaded.path} (${loaded.source})`
      : 'built-in defaults (no config file found)';
    process.stdout.write(
      `# ${origin}; secrets shown as [redacted]\n${JSON.stringify(redacted, null, 2)}\n`,
    );
  },
};
