import type { CommandModule } from 'yargs';
import type { GlobalOptions } from '../lib/global-options.js';
import { configInitCommand } from './config-init.js';
import { configMigrateCommand } from './config-migrate.js';
import { configShowCommand } from './config-show.js';
import { configValidateCommand } from './config-validate.js';

/** `conduit config <init|validate|show|migrate>`. */
export const configCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'config <command>',
  describe: 'Create, check, show or migrate the configuration',
  builder: yargs =>
    yargs
      .command(configInitCommand)
      .command(configValidateCommand)
      .command(configShowCommand)
      .command(configMigrateCommand)
      .demandCommand(1, 'Name a config command: init, validate, show or migrate'),
  handler: () => {},
};
