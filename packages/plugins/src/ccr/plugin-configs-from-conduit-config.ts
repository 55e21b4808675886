import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '@conduit/core';
import type { PluginEntry } from '../loading/normalize-plugin-entry.js';

/** Name of the plugin made from CCR's `CUSTOM_ROUTER_PATH`; its decisions carry reason `custom-router`. */
export const CUSTOM_ROUTER_PLUGIN_NAME = 'custom-router';

/** The plugin entry that loads a `CUSTOM_ROUTER_PATH` script through the `custom-router` built-in. */
export function createCustomRouterEntry(customRouterPath: string, baseDir?: string): PluginEntry {
  const expanded = /^~[\\/]/.test(customRouterPath)
    ? `${homedir()}${customRouterPath.slice(1)}`
    : customRouterPath;
  const path = baseDir && !isAbsolute(expanded) ? resolve(baseDir, expanded) : expanded;
  return {
    name: CUSTOM_ROUTER_PLUGIN_NAME,
    source: 'builtin',
    module: 'custom-router',
    config: { path },
  };
}

/**
 * The plugin list of a whole Conduit (or CCR) config, ready for `PluginManager.loadPlugins`:
 * the `CUSTOM_ROUTER_PATH` script first (CCR runs it before every other rule), then `plugins`
 * (or CCR v2's `Plugins`) in order. Relative paths resolve against `baseDir` (the config file's
 * directory) when given.
 *
 * @example
 * ```ts
 * await manager.loadPlugins(pluginConfigsFromConduitConfig(config, { baseDir: dirname(configPath) }));
 * ```
 */
export function pluginConfigsFromConduitConfig(
  config: Readonly<Record<string, unknown>>,
  { baseDir }: { baseDir?: string } = {},
): PluginEntry[] {
  const entries: PluginEntry[] = [];
  const customRouterPath = config.CUSTOM_ROUTER_PATH;
  if (typeof customRouterPath === 'string' && customRouterPath.trim() !== '') {
    entries.push(createCustomRouterEntry(customRouterPath.trim(), baseDir));
  }
  const plugins = config.plugins ?? config.Plugins ?? [];
  if (!Array.isArray(plugins)) {
    throw new ConfigError({
      issues: [
        {
          path: 'plugins',
          message: 'must be a list of plugin entries.',
          hint: 'use "plugins": [{ "name": "..." }].',
        },
      ],
    });
  }
  for (const plugin of plugins) {
    const entry = plugin as PluginEntry;
    const withPath =
      baseDir &&
      typeof entry?.path === 'string' &&
      !isAbsolute(entry.path) &&
      !/^~[\\/]/.test(entry.path)
        ? { ...entry, path: resolve(baseDir, entry.path) }
        : entry;
    entries.push(withPath);
  }
  return entries;
}
