import { access, cp } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { configWriteErrors, saveConfigFile, withConduitChecks } from '@conduit/conduit';
import type { Argv, CommandModule } from 'yargs';
import { CLIError } from '../lib/cli-error.js';
import { readEditableConfig } from '../lib/config-writer.js';
import { resolveConduitPaths } from '../lib/conduit-paths.js';
import { exitCodes } from '../lib/exit-codes.js';
import type { GlobalOptions } from '../lib/global-options.js';
import { formatIssuesForTerminal } from '../lib/load-cli-config.js';
import { readInstanceState } from '../lib/pid-file.js';
import {
  type PresetField,
  type PresetManifest,
  createManifest,
  fillPlaceholders,
  manifestConfig,
} from '../lib/preset-manifest.js';
import {
  deletePreset,
  listPresets,
  presetDirectory,
  readManifest,
  writePrivateJSON,
} from '../lib/preset-store.js';
import { routeChoices } from '../lib/router-slots.js';

interface ExportArguments extends GlobalOptions {
  name: string;
  description?: string;
  author?: string;
  tags?: string;
  force: boolean;
}

const exportCommand: CommandModule<GlobalOptions, ExportArguments> = {
  command: 'export <name>',
  describe:
    'Save the current providers and Router as presets/<name>/manifest.json (secrets replaced by placeholders)',
  builder: yargs =>
    (yargs as Argv<GlobalOptions>)
      .positional('name', { type: 'string', demandOption: true })
      .option('description', { type: 'string' })
      .option('author', { type: 'string' })
      .option('tags', { type: 'string', describe: 'comma-separated keywords' })
      .option('force', {
        type: 'boolean',
        default: false,
        describe: 'replace an existing preset',
      }) as Argv<ExportArguments>,
  handler: async argv => {
    const directory = presetDirectory(argv.name);
    if (!argv.force && (await exists(join(directory, 'manifest.json')))) {
      throw new CLIError({
        message: `preset "${argv.name}" exists already (use --force to replace it)`,
      });
    }
    const { path, raw } = await readEditableConfig(argv.config);
    const { manifest, omitted, secrets } = createManifest(argv.name, raw, {
      description: argv.description,
      author: argv.author,
      keywords: argv.tags
        ?.split(',')
        .map(tag => tag.trim())
        .filter(Boolean),
    });
    await writePrivateJSON(join(directory, 'manifest.json'), manifest);
    const lines = [`✔ exported ${path} to ${join(directory, 'manifest.json')}`];
    if (secrets > 0)
      lines.push(`  ${secrets} secret(s) replaced by placeholders, asked for on install`);
    if (omitted.length > 0) lines.push(`  left out (per machine): ${omitted.join(', ')}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};

/** A value for each schema field: `${VAR}` when the environment has it, else asked or defaulted. */
async function collectValues(
  fields: PresetField[],
  env: NodeJS.ProcessEnv,
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const field of fields) {
    const variable = field.env ?? field.id.toUpperCase();
    if (env[variable]) {
      // A reference, not the value: the secret stays in the environment.
      values[field.id] = `\${${variable}}`;
    } else if (process.stdin.isTTY) {
      const { input, password } = await import('@inquirer/prompts');
      const message = field.prompt ?? field.label;
      values[field.id] =
        field.type === 'password'
          ? await password({
              message,
              mask: '*',
              validate: value => !field.required || value !== '' || 'required',
            })
          : await input({
              message,
              default: field.defaultValue,
              required: field.required === true,
            });
    } else if (field.defaultValue !== undefined) values[field.id] = field.defaultValue;
    else if (!field.required) values[field.id] = '';
    else missing.push(`${variable} (${field.label})`);
  }
  if (missing.length > 0) {
    throw new CLIError({
      message: `this preset needs ${missing.join(', ')}: set them in the environment, or install from a terminal to type them`,
      exitCode: exitCodes.usage,
    });
  }
  return values;
}

interface InstallArguments extends GlobalOptions {
  source: string;
  name?: string;
}

const installCommand: CommandModule<GlobalOptions, InstallArguments> = {
  command: 'install <source>',
  describe:
    'Install a preset from a folder or manifest.json; its secrets come from the environment or are asked for',
  builder: yargs =>
    (yargs as Argv<GlobalOptions>)
      .positional('source', {
        type: 'string',
        demandOption: true,
        describe: 'folder or manifest.json',
      })
      .option('name', {
        type: 'string',
        describe: 'install under another name',
      }) as Argv<InstallArguments>,
  handler: async argv => {
    const source = resolve(argv.source);
    const manifestPath = source.endsWith('.json') ? source : join(source, 'manifest.json');
    const manifest: PresetManifest = await readManifest(manifestPath);
    const name = argv.name ?? manifest.name;
    const directory = presetDirectory(name);
    const values = await collectValues(manifest.schema ?? [], process.env);
    const home = resolveConduitPaths(process.env).home;
    const filled = fillPlaceholders(manifestConfig(manifest), values) as Record<string, unknown>;
    const config: Record<string, unknown> = {
      ...filled,
      // The preset's own gateway: any free loopback port, the main ledger.
      PORT: 0,
      usage: { storage: join(home, 'usage.db'), ...(filled.usage as object | undefined) },
    };
    const checks = withConduitChecks({ env: process.env, source: manifestPath });
    const issues = configWriteErrors(config, checks);
    if (issues.length > 0) {
      throw new CLIError({
        message: formatIssuesForTerminal(issues, manifestPath),
        exitCode: exitCodes.invalidConfig,
      });
    }
    if (resolve(directory) !== resolve(source)) {
      await writePrivateJSON(join(directory, 'manifest.json'), { ...manifest, name });
      if (!source.endsWith('.json')) await copyExtras(source, directory);
    }
    // The config writer every config edit uses (validated again, backup of a reinstall, 0600).
    await saveConfigFile(join(directory, 'config.json'), config, checks);
    process.stdout.write(
      `✔ installed preset "${name}" in ${directory}\n  run it: conduit ${name} [claude arguments]\n`,
    );
  },
};

/** Other files of a preset folder (e.g. a custom router next to the manifest). */
async function copyExtras(source: string, directory: string): Promise<void> {
  await cp(source, directory, {
    recursive: true,
    filter: path => !path.endsWith('manifest.json') && !path.endsWith('config.json'),
  });
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

const listCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'list',
  describe: 'List installed presets',
  handler: async () => {
    const presets = await listPresets();
    if (presets.length === 0) {
      process.stdout.write('No presets. Create one with `conduit preset export <name>`.\n');
      return;
    }
    for (const preset of presets) {
      if (!preset.manifest) {
        process.stdout.write(`• ${preset.name} (unreadable: ${preset.problem})\n`);
        continue;
      }
      const { version, description, author } = preset.manifest;
      process.stdout.write(
        `• ${preset.name} (v${version})${description ? `: ${description}` : ''}${author ? ` by ${author}` : ''}\n`,
      );
    }
  },
};

/** The `<name>` positional of `info` and `delete`. */
function presetNameArgument(yargs: Argv<GlobalOptions>): Argv<GlobalOptions & { name: string }> {
  return yargs.positional('name', { type: 'string', demandOption: true }) as Argv<
    GlobalOptions & { name: string }
  >;
}

const infoCommand: CommandModule<GlobalOptions, GlobalOptions & { name: string }> = {
  command: 'info <name>',
  describe: "Show a preset's metadata, providers, routes and inputs",
  builder: presetNameArgument,
  handler: async argv => {
    const directory = presetDirectory(argv.name);
    const manifest = await readManifest(join(directory, 'manifest.json'));
    const config = manifestConfig(manifest);
    const lines = [
      `Preset ${manifest.name} v${manifest.version}`,
      ...(manifest.description ? [`  ${manifest.description}`] : []),
      ...(manifest.author ? [`  by ${manifest.author}`] : []),
      `Models: ${routeChoices(config).join('  ') || '(none)'}`,
      `Router: ${JSON.stringify(config.Router ?? {})}`,
      `Inputs: ${(manifest.schema ?? []).map(field => `${field.id} (${field.env ?? field.id.toUpperCase()})`).join(', ') || '(none)'}`,
      `Installed: ${(await exists(join(directory, 'config.json'))) ? `yes (conduit ${argv.name})` : 'no'}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};

const deleteCommand: CommandModule<GlobalOptions, GlobalOptions & { name: string }> = {
  command: 'delete <name>',
  aliases: ['rm', 'remove'],
  describe: 'Delete an installed preset (stops its gateway first)',
  builder: presetNameArgument,
  handler: async argv => {
    const directory = presetDirectory(argv.name);
    const state = await readInstanceState(join(directory, 'conduit.pid'));
    if (state.state === 'running') process.kill(state.info.pid, 'SIGTERM');
    if (!(await deletePreset(argv.name))) {
      throw new CLIError({ message: `no preset "${argv.name}"`, exitCode: exitCodes.usage });
    }
    process.stdout.write(`✔ deleted preset "${argv.name}"\n`);
  },
};

/** `conduit preset export|install|list|info|delete` (CCR v2's preset commands). */
export const presetCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: 'preset',
  describe:
    'Share configurations: export, install, list, info, delete presets (run one: conduit <preset>)',
  builder: yargs =>
    yargs
      .command(exportCommand)
      .command(installCommand)
      .command(listCommand)
      .command(infoCommand)
      .command(deleteCommand)
      .demandCommand(1, 'Name a preset command: export, install, list, info or delete.'),
  handler: () => {},
};
