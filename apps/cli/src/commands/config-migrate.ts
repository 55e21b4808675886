import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  redactLiteralSecrets,
  resolveCCRHome,
  validateConduitConfig,
  writeConfigFile,
} from '@conduit/conduit';
import JSON5 from 'json5';
import type { CommandModule } from 'yargs';
import { CLIError } from '../lib/cli-error.js';
import { resolveConduitPaths } from '../lib/conduit-paths.js';
import { exitCodes } from '../lib/exit-codes.js';
import type { GlobalOptions } from '../lib/global-options.js';
import { formatIssuesForTerminal } from '../lib/load-cli-config.js';
import { migrateCCRConfig } from '../lib/migrate-ccr-config.js';

export interface ConfigMigrateArguments extends GlobalOptions {
  source?: string;
  force: boolean;
  'dry-run': boolean;
}

async function listPresets(ccrHome: string): Promise<string[]> {
  try {
    const entries = await readdir(join(ccrHome, 'presets'), { withFileTypes: true });
    return entries
      .filter(entry => entry.isDirectory())
      .map(entry => entry.name)
      .sort();
  } catch {
    return [];
  }
}

/**
 * `conduit config migrate [ccr-config]`: import a claude-code-router config into
 * `$CONDUIT_HOME/config.json`, keeping `$VAR` references as written and reporting what it could not
 * carry.
 */
export const configMigrateCommand: CommandModule<GlobalOptions, ConfigMigrateArguments> = {
  command: 'migrate [source]',
  describe: 'Import a claude-code-router config.json (default ~/.claude-code-router/config.json)',
  builder: yargs =>
    yargs
      .positional('source', { type: 'string', describe: 'The CCR config file' })
      .option('force', {
        type: 'boolean',
        default: false,
        describe: 'Overwrite an existing Conduit config',
      })
      .option('dry-run', {
        type: 'boolean',
        default: false,
        describe: 'Print the result instead of writing it',
      }),
  handler: async argv => {
    const ccrHome = resolveCCRHome();
    const sourcePath = resolve(argv.source ?? join(ccrHome, 'config.json'));
    const target = argv.config ?? resolveConduitPaths(process.env).configFile;
    let text: string;
    try {
      text = await readFile(sourcePath, 'utf8');
    } catch (error) {
      throw new CLIError({
        message: `cannot read the CCR config ${sourcePath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        cause: error,
      });
    }
    let raw: unknown;
    try {
      raw = JSON5.parse(text);
    } catch (error) {
      throw new CLIError({
        message: `${sourcePath} is not valid JSON5: ${(error as Error).message}`,
        exitCode: exitCodes.invalidConfig,
      });
    }
    const presetNames =
      argv.source === undefined
        ? await listPresets(ccrHome)
        : await listPresets(dirname(sourcePath));
    let result: ReturnType<typeof migrateCCRConfig>;
    try {
      result = migrateCCRConfig(raw, { presetNames });
    } catch (error) {
      throw new CLIError({
        message: `${sourcePath}: ${(error as Error).message}`,
        exitCode: exitCodes.invalidConfig,
      });
    }
    const output = `${JSON.stringify(result.config, null, 2)}\n`;
    const issues = validateConduitConfig(result.config, { env: process.env, source: target });
    const errors = issues.filter(issue => issue.severity !== 'warning');

    if (argv['dry-run']) {
      // A preview goes to a terminal (or a CI log): literal keys are hidden, `$VAR`s stay.
      process.stdout.write(`${JSON.stringify(redactLiteralSecrets(result.config), null, 2)}\n`);
    } else {
      if (existsSync(target) && !argv.force) {
        throw new CLIError({
          message: `${target} already exists; use --force to overwrite it (or --dry-run to preview)`,
        });
      }
      // The one config writer: atomic, 0600, and --force over a file keeps a backup of it.
      await writeConfigFile(target, output);
      process.stdout.write(
        `Migrated ${sourcePath} → ${target} ($VAR references kept as written)\n`,
      );
    }
    const report = process.stdout;
    const dropped = result.notes.filter(note => note.kind === 'dropped');
    const review = result.notes.filter(note => note.kind === 'review');
    if (dropped.length > 0) {
      report.write(`\nNot carried over (${dropped.length}):\n`);
      for (const note of dropped) report.write(`  - ${note.path}: ${note.message}\n`);
    }
    if (review.length > 0) {
      report.write(`\nCarried, please review (${review.length}):\n`);
      for (const note of review) report.write(`  - ${note.path}: ${note.message}\n`);
    }
    if (dropped.length === 0 && review.length === 0) report.write('Everything was carried over.\n');
    if (errors.length > 0) {
      process.stderr.write(`\n${formatIssuesForTerminal(errors, target)}\n`);
      throw new CLIError({
        message:
          'the migrated config has problems (listed above); fix them, then run `conduit config validate`',
        exitCode: exitCodes.invalidConfig,
      });
    }
  },
};
