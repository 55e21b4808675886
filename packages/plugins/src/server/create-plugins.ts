import { dirname } from 'node:path';
import { type ConduitConfig, type Logger, type ServerExtension, silentLogger } from '@conduit/core';
import { pluginConfigsFromConduitConfig } from '../ccr/plugin-configs-from-conduit-config.js';
import type { PluginEntry } from '../loading/normalize-plugin-entry.js';
import { PluginManager } from '../plugin-manager.js';

/** Options of {@link plugins}. */
export interface PluginsOptions {
  logger?: Logger;
  /** The config file in use: relative plugin paths resolve against its folder (default: cwd). */
  configPath?: string;
  /**
   * Adjusts the entries read from a config (`plugins` and `CUSTOM_ROUTER_PATH`) before they load,
   * e.g. to add a plugin the config does not list (`@conduit/synapse` adds its own).
   */
  entries?(entries: PluginEntry[], config: ConduitConfig): PluginEntry[];
}

/** What {@link plugins} plugs into the server, and the manager behind it. */
export interface Plugins extends ServerExtension {
  readonly manager: PluginManager;
  /** The entries for `config`, as `start`/`applyConfig` load them (throws on a bad entry). */
  entriesFor(config: ConduitConfig): PluginEntry[];
}

/**
 * The config's plugins (and CCR's `CUSTOM_ROUTER_PATH`) as one server extension: a
 * {@link PluginManager} whose routing hooks the server runs, loaded on start, reloaded when the
 * config changes, unloaded at shutdown, and reported by the non-critical `plugins` health check.
 * A plugin that fails to load is logged and skipped; routing continues without it.
 *
 * @example
 * ```ts
 * const server = createConduitServer(config, { extensions: [plugins(parseConduitConfig(config))] });
 * ```
 */
export function plugins(config: ConduitConfig, options: PluginsOptions = {}): Plugins {
  const logger = options.logger ?? silentLogger;
  const baseDir = options.configPath ? dirname(options.configPath) : process.cwd();
  // Handed to plugins as `conduitConfig`; updated in place on reload so they see the current config.
  const conduitConfig: Record<string, unknown> = { ...config };
  const manager = new PluginManager({ logger, baseDir, conduitConfig });
  const entriesFor = (current: ConduitConfig): PluginEntry[] => {
    const entries = pluginConfigsFromConduitConfig(current, { baseDir });
    return options.entries ? options.entries(entries, current) : entries;
  };
  let started = false;
  const load = async (current: ConduitConfig, reload: boolean): Promise<void> => {
    let entries: PluginEntry[];
    try {
      entries = entriesFor(current);
    } catch (error) {
      logger.error('plugins not loaded', {
        message: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    if (entries.length === 0 && !reload) return;
    const report = reload ? await manager.reload(entries) : await manager.loadPlugins(entries);
    // The manager has logged each failure with its reason; say how many.
    if (report.failed.length > 0) {
      logger.warn(
        `${report.failed.length} plugin(s) failed to load; routing continues without them`,
      );
    }
  };
  return {
    name: 'plugins',
    manager,
    entriesFor,
    hooks: manager,
    healthChecks: [
      {
        name: 'plugins',
        critical: false,
        check: async () => {
          const report = await manager.getHealth();
          return { status: report.status, details: { plugins: report.plugins } };
        },
      },
    ],
    start: async current => {
      if (started) return;
      started = true;
      await load(current, false);
    },
    applyConfig: async current => {
      for (const key of Object.keys(conduitConfig)) delete conduitConfig[key];
      Object.assign(conduitConfig, current);
      if (started) await load(current, true);
    },
    close: () => manager.cleanup().catch(() => undefined),
  };
}
