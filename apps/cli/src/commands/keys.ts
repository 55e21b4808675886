import {
  createFleet,
  type Fleet,
  type IssuedKey,
  VirtualKeyError,
  type VirtualKeyInfo,
} from '@conduit/conduit';
import type { Argv, CommandModule } from 'yargs';
import { CLIError } from '../lib/cli-error.js';
import { resolveConduitPaths } from '../lib/conduit-paths.js';
import { exitCodes } from '../lib/exit-codes.js';
import { formatTable } from '../lib/format-table.js';
import type { GlobalOptions } from '../lib/global-options.js';
import { loadCliConfig } from '../lib/load-cli-config.js';

interface KeysArguments extends GlobalOptions {
  json: boolean;
}

interface CreateArguments extends KeysArguments {
  name: string;
  rpm?: number;
  tpm?: number;
  concurrency?: number;
  'budget-daily'?: number;
  'budget-monthly'?: number;
  models?: string[];
  project?: string;
  agent?: string;
}

interface IdArguments extends KeysArguments {
  id: string;
}

/** Opens the configured key store (the gateway need not run), runs `action`, closes it. */
async function withFleet<T>(argv: GlobalOptions, action: (fleet: Fleet) => Promise<T>): Promise<T> {
  const { config } = await loadCliConfig({ configPath: argv.config });
  const fleet = createFleet(config, { home: resolveConduitPaths().home });
  try {
    return await action(fleet);
  } catch (error) {
    if (VirtualKeyError.isInstance(error)) {
      throw new CLIError({
        message: error.message,
        exitCode: error.statusCode === 404 ? exitCodes.failure : exitCodes.usage,
      });
    }
    throw error;
  } finally {
    await fleet.close();
  }
}

function describeLimits(key: VirtualKeyInfo): string {
  const { rpm, tpm, concurrency, budgetDaily, budgetMonthly } = key.limits;
  const parts = [
    rpm ? `${rpm} rpm` : '',
    tpm ? `${tpm} tpm` : '',
    concurrency ? `${concurrency} concurrent` : '',
    budgetDaily ? `$${budgetDaily}/day` : '',
    budgetMonthly ? `$${budgetMonthly}/month` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : '-';
}

function printIssued(issued: IssuedKey, json: boolean, verb: string): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(issued, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    `${verb} virtual key ${issued.id} (${issued.name}).\n\n  ${issued.key}\n\nThis secret is shown once: store it now (Conduit keeps only its hash).\nUse it as ANTHROPIC_API_KEY (x-api-key) or ANTHROPIC_AUTH_TOKEN.\n`,
  );
}

const createCommand: CommandModule<GlobalOptions, CreateArguments> = {
  command: 'create',
  describe: 'Issue a virtual key (the secret is printed once)',
  builder: yargs =>
    (yargs as Argv<GlobalOptions>)
      .option('name', { type: 'string', demandOption: true, describe: 'Owner label' })
      .option('rpm', { type: 'number', describe: 'Requests per minute (per fleet.windowMs)' })
      .option('tpm', { type: 'number', describe: 'Input + output tokens per minute' })
      .option('concurrency', { type: 'number', describe: 'Requests in flight at once' })
      .option('budget-daily', { type: 'number', describe: 'USD per UTC day' })
      .option('budget-monthly', { type: 'number', describe: 'USD per UTC month' })
      .option('models', {
        type: 'string',
        array: true,
        describe: 'Allowed models or provider,model routes (* wildcards); default all',
      })
      .option('project', {
        type: 'string',
        describe: 'Bind to a Synapse project (wins over headers)',
      })
      .option('agent', { type: 'string', describe: 'Bind to an agent (wins over headers)' })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'Print JSON',
      }) as Argv<CreateArguments>,
  handler: async argv => {
    const limits = Object.fromEntries(
      Object.entries({
        rpm: argv.rpm,
        tpm: argv.tpm,
        concurrency: argv.concurrency,
        budgetDaily: argv['budget-daily'],
        budgetMonthly: argv['budget-monthly'],
      }).filter(([, value]) => value !== undefined),
    );
    const issued = await withFleet(argv, fleet =>
      fleet.keys.create({
        name: argv.name,
        projectId: argv.project,
        agentId: argv.agent,
        models: (argv.models ?? []).flatMap(entry => entry.split(/\s+/)).filter(Boolean),
        limits,
      }),
    );
    printIssued(issued, argv.json, 'Created');
  },
};

const listCommand: CommandModule<GlobalOptions, KeysArguments> = {
  command: 'list',
  describe: 'List virtual keys (never their secrets)',
  builder: yargs =>
    (yargs as Argv<GlobalOptions>).option('json', {
      type: 'boolean',
      default: false,
      describe: 'Print JSON',
    }) as Argv<KeysArguments>,
  handler: async argv => {
    const keys = await withFleet(argv, fleet => fleet.keys.list());
    if (argv.json) {
      process.stdout.write(`${JSON.stringify({ keys }, null, 2)}\n`);
      return;
    }
    if (keys.length === 0) {
      process.stdout.write(
        'No virtual keys. Create one with: conduit keys create --name <label>\n',
      );
      return;
    }
    process.stdout.write(
      `${formatTable(
        [
          { header: 'id' },
          { header: 'name' },
          { header: 'status' },
          { header: 'project/agent' },
          { header: 'models' },
          { header: 'limits' },
          { header: 'created' },
        ],
        keys.map(key => [
          key.id,
          key.name,
          key.revokedAt ? 'revoked' : 'active',
          [key.projectId, key.agentId].filter(Boolean).join('/') || '-',
          key.models.join(' ') || 'all',
          describeLimits(key),
          key.createdAt.toISOString().slice(0, 19).replace('T', ' '),
        ]),
      )}\n`,
    );
  },
};

function idCommand(
  name: 'revoke' | 'rotate',
  describe: string,
): CommandModule<GlobalOptions, IdArguments> {
  return {
    command: `${name} <id>`,
    describe,
    builder: yargs =>
      (yargs as Argv<GlobalOptions>)
        .positional('id', { type: 'string', demandOption: true, describe: 'Key id (vk_…)' })
        .option('json', {
          type: 'boolean',
          default: false,
          describe: 'Print JSON',
        }) as Argv<IdArguments>,
    handler: async argv => {
      if (name === 'rotate') {
        const issued = await withFleet(argv, fleet => fleet.keys.rotate(argv.id));
        printIssued(issued, argv.json, 'Rotated');
        return;
      }
      const key = await withFleet(argv, fleet => fleet.keys.revoke(argv.id));
      process.stdout.write(
        argv.json
          ? `${JSON.stringify(key, null, 2)}\n`
          : `Revoked ${key.id} (${key.name}); every instance refuses it within a second.\n`,
      );
    },
  };
}

/** `conduit keys create|list|revoke|rotate`: virtual keys in the configured store. */
export const keysCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'keys <command>',
  describe: 'Manage virtual keys (per-key limits, budgets, bindings)',
  builder: yargs =>
    yargs
      .command(createCommand)
      .command(listCommand)
      .command(idCommand('revoke', 'Revoke a key: every instance refuses it within a second'))
      .command(idCommand('rotate', "Replace a key's secret (the old one stops working)"))
      .demandCommand(1, 'Name a keys command: create, list, revoke or rotate.'),
  handler: () => undefined,
};
