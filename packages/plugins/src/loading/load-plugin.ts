import type { Logger } from '@conduit/core';
import {
  type BuiltinPluginContext,
  getBuiltinPlugin,
  listBuiltinPluginNames,
} from '../builtin/builtin-plugins.js';
import { PluginLoadError } from '../errors/plugin-load-error.js';
import type { LoadedPlugin } from '../loaded-plugin.js';
import { createPluginLogger } from '../plugin-logger.js';
import { runWithTimeout } from '../run-with-timeout.js';
import {
  importPluginModule,
  resolvePluginFile,
  resolvePluginPackage,
} from './import-plugin-module.js';
import { describeError, instantiatePlugin } from './instantiate-plugin.js';
import { interpretValidation } from './interpret-validation.js';
import type { NormalizedPluginEntry } from './normalize-plugin-entry.js';

/** What loading one plugin needs from the manager. */
export interface LoadPluginSettings {
  logger: Logger;
  baseDir: string;
  resolvePaths: readonly string[];
  conduitConfig: Readonly<Record<string, unknown>>;
  hookTimeoutMs: number;
  loadTimeoutMs: number;
  /** Re-evaluate the module file instead of using the module cache (reload). */
  fresh: boolean;
  /** Changes on each load pass; used to bust the ESM cache when `fresh`. */
  generation: number;
}

/**
 * Loads one enabled plugin: import (or take inline/builtin), build from its export, run
 * `validateConfig`, then `onLoad`. Throws a {@link PluginLoadError} naming the failed stage.
 */
export async function loadPlugin(
  entry: NormalizedPluginEntry,
  settings: LoadPluginSettings,
): Promise<LoadedPlugin> {
  const { name } = entry;
  const logger = createPluginLogger(settings.logger, name);
  const context = { config: entry.config, conduitConfig: settings.conduitConfig, logger };
  const plugin = await runWithTimeout(
    async () => {
      const moduleValue = await importEntry(entry, settings);
      return instantiatePlugin(moduleValue, { pluginName: name, config: entry.config, context });
    },
    { timeoutMs: settings.loadTimeoutMs, label: `loading plugin "${name}"` },
  ).catch(error => {
    throw asLoadError(error, name, 'create');
  });

  if (plugin.validateConfig) {
    const issues = await runWithTimeout(() => plugin.validateConfig?.(entry.config), {
      timeoutMs: settings.loadTimeoutMs,
      label: `plugin "${name}" validateConfig`,
    }).then(interpretValidation, error => [`validateConfig threw: ${describeError(error)}`]);
    if (issues.length > 0) {
      throw new PluginLoadError({
        pluginName: name,
        stage: 'validate',
        message: `its config was rejected: ${issues.join('; ')}`,
        issues,
      });
    }
  }

  if (plugin.onLoad) {
    await runWithTimeout(() => plugin.onLoad?.(context), {
      timeoutMs: settings.loadTimeoutMs,
      label: `plugin "${name}" onLoad`,
    }).catch(error => {
      throw asLoadError(error, name, 'load', 'onLoad failed: ');
    });
  }
  return {
    name,
    source: entry.source,
    plugin,
    logger,
    hookTimeoutMs: entry.hookTimeoutMs ?? settings.hookTimeoutMs,
    consecutiveFailures: 0,
    disabled: false,
  };
}

async function importEntry(
  entry: NormalizedPluginEntry,
  settings: LoadPluginSettings,
): Promise<unknown> {
  const { name, source, specifier = name } = entry;
  switch (source) {
    case 'inline':
      return entry.inlineModule;
    case 'builtin': {
      const factory = getBuiltinPlugin(specifier);
      if (!factory) {
        throw new PluginLoadError({
          pluginName: name,
          stage: 'resolve',
          message:
            specifier === 'synapse'
              ? 'the synapse plugin comes with @conduit/synapse: serve with createSynapseServer (`conduit start` does this by itself for configs that use Synapse)'
              : `"${specifier}" is not a built-in plugin (built-ins: ${listBuiltinPluginNames().join(', ')})`,
        });
      }
      // Builtins also get the config file's directory (the CCR custom router resolves paths with it)
      // and whether this is a reload (it re-imports the router script then).
      return (config: Record<string, unknown>, context: Omit<BuiltinPluginContext, 'baseDir'>) =>
        factory(config, {
          ...context,
          baseDir: settings.baseDir,
          fresh: settings.fresh,
          generation: settings.generation,
        });
    }
    case 'file':
      return importFile(
        resolvePluginFile(specifier, { baseDir: settings.baseDir, pluginName: name }),
        name,
        settings,
      );
    case 'npm':
      return importFile(
        resolvePluginPackage(specifier, { resolvePaths: settings.resolvePaths, pluginName: name }),
        name,
        settings,
      );
  }
}

async function importFile(
  path: string,
  pluginName: string,
  settings: LoadPluginSettings,
): Promise<unknown> {
  try {
    return await importPluginModule(path, {
      fresh: settings.fresh,
      generation: settings.generation,
    });
  } catch (error) {
    throw new PluginLoadError({
      pluginName,
      stage: 'import',
      message: `importing ${path} failed: ${describeError(error)}`,
      cause: error,
    });
  }
}

/** Wraps any failure as a {@link PluginLoadError} (kept as is when it already is one). */
export function asLoadError(
  error: unknown,
  pluginName: string,
  stage: PluginLoadError['stage'],
  prefix = '',
): PluginLoadError {
  if (PluginLoadError.isInstance(error)) return error;
  return new PluginLoadError({
    pluginName,
    stage,
    message: `${prefix}${describeError(error)}`,
    cause: error,
  });
}
