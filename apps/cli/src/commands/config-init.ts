import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { validateConduitConfig, writeConfigFile } from '@conduit/conduit';
import type { CommandModule } from 'yargs';
import { CLIError } from '../lib/cli-error.js';
import { resolveConduitPaths } from '../lib/conduit-paths.js';
import { exitCodes } from '../lib/exit-codes.js';
import type { GlobalOptions } from '../lib/global-options.js';
import {
  buildStarterConfig,
  defaultStarterAnswers,
  type StarterConfigAnswers,
} from '../lib/starter-config.js';

export interface ConfigInitArguments extends GlobalOptions {
  force: boolean;
  provider?: string;
  'base-url'?: string;
  'api-key-env'?: string;
  model?: string;
  'background-model'?: string;
}

async function askAnswers(start: StarterConfigAnswers): Promise<StarterConfigAnswers> {
  const readline = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const ask = async (question: string, fallback: string) =>
      (await readline.question(`${question} [${fallback}]: `)).trim() || fallback;
    const providerName = await ask('Provider name', start.providerName);
    const baseURL = await ask('Chat completions URL', start.baseURL);
    const apiKeyVariable = (
      await ask('Environment variable holding the API key', start.apiKeyVariable)
    ).replace(/^\$/, '');
    const model = await ask('Default model', start.model);
    const backgroundModel = await ask(
      'Background model (- for none)',
      start.backgroundModel || '-',
    );
    return {
      ...start,
      providerName,
      baseURL,
      apiKeyVariable,
      model,
      backgroundModel: backgroundModel === '-' ? '' : backgroundModel,
    };
  } finally {
    readline.close();
  }
}

/** `conduit config init`: write a starter config (asks only when stdin is a terminal). */
export const configInitCommand: CommandModule<GlobalOptions, ConfigInitArguments> = {
  command: 'init',
  describe: 'Write a starter config to $CONDUIT_HOME/config.json (or --config)',
  builder: yargs =>
    yargs
      .option('force', { type: 'boolean', default: false, describe: 'Overwrite an existing file' })
      .option('provider', {
        type: 'string',
        describe: `Provider name (default ${defaultStarterAnswers.providerName})`,
      })
      .option('base-url', { type: 'string', describe: 'Provider chat completions URL' })
      .option('api-key-env', {
        type: 'string',
        describe: 'Environment variable with the key (stored as $NAME)',
      })
      .option('model', { type: 'string', describe: 'Default model' })
      .option('background-model', {
        type: 'string',
        describe: 'Model for background requests ("" for none)',
      }),
  handler: async argv => {
    const target = argv.config ?? resolveConduitPaths(process.env).configFile;
    if (existsSync(target) && !argv.force) {
      throw new CLIError({ message: `${target} already exists; use --force to overwrite it` });
    }
    let answers: StarterConfigAnswers = {
      ...defaultStarterAnswers,
      ...(argv.provider ? { providerName: argv.provider } : {}),
      ...(argv['base-url'] ? { baseURL: argv['base-url'] } : {}),
      ...(argv['api-key-env'] ? { apiKeyVariable: argv['api-key-env'].replace(/^\$/, '') } : {}),
      ...(argv.model ? { model: argv.model } : {}),
      ...(argv['background-model'] !== undefined
        ? { backgroundModel: argv['background-model'] }
        : {}),
    };
    const flagsGiven = [argv.provider, argv['base-url'], argv['api-key-env'], argv.model].some(
      Boolean,
    );
    if (process.stdin.isTTY && process.stderr.isTTY && !flagsGiven)
      answers = await askAnswers(answers);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(answers.apiKeyVariable)) {
      throw new CLIError({
        message: `"${answers.apiKeyVariable}" is not an environment variable name`,
        exitCode: exitCodes.usage,
      });
    }
    const config = buildStarterConfig(answers);
    // The key variable is read when Conduit starts; here only the config's shape is checked.
    const issues = validateConduitConfig(config, {
      env: { [answers.apiKeyVariable]: 'set-when-conduit-starts' },
    }).filter(issue => issue.severity !== 'warning');
    if (issues.length > 0) {
      throw new CLIError({
        message: `the answers do not make a valid config:\n${issues.map(issue => `  - ${issue.path}: ${issue.message}`).join('\n')}`,
        exitCode: exitCodes.usage,
      });
    }
    // The one config writer: atomic, 0600, and --force over a file keeps a backup of it.
    await writeConfigFile(target, `${JSON.stringify(config, null, 2)}\n`);
    process.stdout.write(
      [
        `Wrote ${target}`,
        `Next: export ${answers.apiKeyVariable}=<your key>, then \`conduit start\` (or \`conduit code\`).`,
        'Check it any time with `conduit config validate`.',
        '',
      ].join('\n'),
    );
  },
};
