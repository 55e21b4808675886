/**
 * The interactive side of `conduit model` (loaded only when it runs): pick a Router slot and a
 * `provider,model`, or add a provider. Every change is validated and written like `model set`.
 * @module
 */
import { builtinTransformers } from '@conduit/conduit';
import { checkbox, input, select } from '@inquirer/prompts';
import { CLIError } from '../lib/cli-error.js';
import { readEditableConfig, writeConfigFile } from '../lib/config-writer.js';
import { exitCodes } from '../lib/exit-codes.js';
import {
  type RouterSlot,
  readRouter,
  routeChoices,
  routerSlots,
  slotDescriptions,
  withProvider,
  withRouterSlot,
  writtenProviders,
} from '../lib/router-slots.js';
import { reportWrite } from './model.js';

const unset = '\u0000unset';
const envNamePattern = /^[A-Z_][A-Z0-9_]*$/;

async function pickSlot(configPath: string | undefined): Promise<void> {
  const { path, raw } = await readEditableConfig(configPath);
  const choices = routeChoices(raw);
  if (choices.length === 0) {
    process.stdout.write('No providers yet: add one first.\n');
    return;
  }
  const router = readRouter(raw);
  const slot = await select<RouterSlot>({
    message: 'Which Router slot?',
    choices: routerSlots.map(name => ({
      value: name,
      name: `${name.padEnd(12)} ${String(router[name] ?? '(not set)')}`,
      description: slotDescriptions[name],
    })),
  });
  const route = await select<string>({
    message: `Route for ${slot}`,
    default: typeof router[slot] === 'string' ? (router[slot] as string) : undefined,
    choices: [
      ...choices.map(choice => ({ value: choice, name: choice })),
      ...(slot === 'default' ? [] : [{ value: unset, name: '(not set)' }]),
    ],
  });
  const next = withRouterSlot(raw, slot, route === unset ? undefined : route);
  reportWrite(path, await writeConfigFile(path, next));
}

async function addProvider(configPath: string | undefined): Promise<void> {
  const { path, raw } = await readEditableConfig(configPath);
  const taken = new Set(writtenProviders(raw).map(provider => provider.name.toLowerCase()));
  const name = await input({
    message: 'Provider name',
    validate: value =>
      value.trim() === ''
        ? 'a name is required'
        : value.includes(',')
          ? 'a name cannot contain a comma (routes are "provider,model")'
          : taken.has(value.trim().toLowerCase())
            ? `"${value.trim()}" exists already`
            : true,
  });
  const baseURL = await input({
    message: 'Endpoint URL (e.g. https://api.deepseek.com/chat/completions)',
    validate: value => {
      try {
        return ['http:', 'https:'].includes(new URL(value.trim()).protocol) || 'use http(s)://';
      } catch {
        return 'not a URL';
      }
    },
  });
  const keyVariable = await input({
    message: 'Environment variable holding the API key (the key itself is never written)',
    default: `${name
      .trim()
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '_')}_API_KEY`,
    validate: value => envNamePattern.test(value.trim()) || 'upper-case letters, digits and _',
  });
  const models = await input({
    message: 'Models (comma-separated)',
    validate: value => value.split(',').some(model => model.trim() !== '') || 'at least one model',
  });
  const transformers = await checkbox<string>({
    message: 'Transformers (none for OpenAI-compatible endpoints)',
    choices: builtinTransformers.map(transformer => ({ value: transformer.name })),
  });
  const provider: Record<string, unknown> = {
    name: name.trim(),
    api_base_url: baseURL.trim(),
    api_key: `$${keyVariable.trim()}`,
    models: models
      .split(',')
      .map(model => model.trim())
      .filter(Boolean),
    ...(transformers.length > 0 ? { transformer: { use: transformers } } : {}),
  };
  reportWrite(path, await writeConfigFile(path, withProvider(raw, provider)));
}

/** Runs the picker until the user is done (Ctrl-C ends it without writing the pending change). */
export async function runModelPicker(configPath: string | undefined): Promise<void> {
  if (!process.stdin.isTTY) {
    throw new CLIError({
      message:
        'conduit model needs a terminal; in scripts use `conduit model list` and `conduit model set <slot> <provider,model>`.',
      exitCode: exitCodes.usage,
    });
  }
  try {
    for (;;) {
      const action = await select({
        message: 'conduit model',
        choices: [
          { value: 'slot', name: 'Set a Router slot' },
          { value: 'provider', name: 'Add a provider' },
          { value: 'done', name: 'Done' },
        ],
      });
      if (action === 'done') return;
      try {
        if (action === 'slot') await pickSlot(configPath);
        else await addProvider(configPath);
      } catch (error) {
        // An invalid change is reported and nothing is written; the user can try again.
        if (!CLIError.isInstance(error) || error.exitCode !== exitCodes.invalidConfig) throw error;
        process.stdout.write(`${error.message}\n`);
      }
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'ExitPromptError') return;
    throw error;
  }
}
