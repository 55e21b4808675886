import type { Argv, CommandModule } from 'yargs';
import { readEditableConfig, reportWrite, writeConfigFile } from '../lib/config-writer.js';
import { formatTable } from '../lib/format-table.js';
import type { GlobalOptions } from '../lib/global-options.js';
import {
  assertRouterSlot,
  readRouter,
  routeChoices,
  routerSlots,
  slotDescriptions,
  withRouterSlot,
} from '../lib/router-slots.js';

interface ModelSetArguments extends GlobalOptions {
  slot: string;
  route: string;
}

const modelListCommand: CommandModule<GlobalOptions, GlobalOptions & { json: boolean }> = {
  command: 'list',
  describe: 'Show each Router slot and the provider,model choices',
  builder: yargs =>
    yargs.option('json', { type: 'boolean', default: false, describe: 'Print JSON' }),
  handler: async argv => {
    const { path, raw } = await readEditableConfig(argv.config);
    const router = readRouter(raw);
    const slots = Object.fromEntries(
      [...routerSlots, 'longContextThreshold'].map(slot => [slot, router[slot] ?? null]),
    );
    const choices = routeChoices(raw);
    if (argv.json) {
      process.stdout.write(`${JSON.stringify({ path, slots, choices }, null, 2)}\n`);
      return;
    }
    const rows = routerSlots.map(slot => [
      slot,
      String(router[slot] ?? '(not set)'),
      slotDescriptions[slot],
    ]);
    rows.push([
      'longContextThreshold',
      String(router.longContextThreshold ?? '60000 (default)'),
      'tokens',
    ]);
    process.stdout.write(
      `${path}\n${formatTable([{ header: 'slot' }, { header: 'route' }, { header: 'used for' }], rows)}\n`,
    );
    process.stdout.write(
      `\nChoices: ${choices.length > 0 ? choices.join('  ') : '(no providers configured)'}\n`,
    );
  },
};

const modelSetCommand: CommandModule<GlobalOptions, ModelSetArguments> = {
  command: 'set <slot> <route>',
  describe: 'Set a Router slot to provider,model (longContextThreshold: a token count)',
  builder: yargs =>
    (yargs as Argv<GlobalOptions>)
      .positional('slot', { type: 'string', demandOption: true, describe: routerSlots.join(' | ') })
      .positional('route', { type: 'string', demandOption: true, describe: 'provider,model' })
      .example('$0 model set think deepseek,deepseek-reasoner', '')
      .example('$0 model set longContextThreshold 80000', '') as Argv<ModelSetArguments>,
  handler: async argv => {
    assertRouterSlot(argv.slot);
    const { path, raw } = await readEditableConfig(argv.config);
    const next = withRouterSlot(raw, argv.slot, argv.route);
    reportWrite(path, await writeConfigFile(path, next));
  },
};

/**
 * `conduit model` (and `ccr model`): an interactive picker for the Router slots and providers;
 * `model list` and `model set` do the same without prompts.
 */
export const modelCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'model',
  describe: 'Choose the model of each Router slot, add providers (interactive; or list / set)',
  builder: yargs =>
    yargs
      .command(modelListCommand)
      .command(modelSetCommand)
      .example('$0 model', 'interactive picker')
      .example('$0 model set default openrouter,moonshotai/kimi-k2', 'no prompts'),
  handler: async argv => {
    const { runModelPicker } = await import('./model-picker.js');
    await runModelPicker(argv.config);
  },
};
