import type { ConduitPlugin, Logger } from '@conduit/core';
import type { PluginLoadError } from './errors/plugin-load-error.js';
import type { PluginSource } from './loading/normalize-plugin-entry.js';

/** Options of {@link PluginManager}. */
export interface PluginManagerOptions {
  /** Where load results and hook failures are logged (each line names the plugin). */
  logger?: Logger;
  /** Budget for each routing hook call and `getHealth`, in ms. Default 2000. */
  hookTimeoutMs?: number;
  /** Budget for `validateConfig`, the module factory and `onLoad`/`onUnload`, in ms. Default 10000. */
  loadTimeoutMs?: number;
  /** Directory of the config file; relative plugin paths resolve against it. Default `process.cwd()`. */
  baseDir?: string;
  /** The whole Conduit config, handed to plugins as `conduitConfig` (read-only). */
  conduitConfig?: Readonly<Record<string, unknown>>;
  /** Directories to resolve npm plugin packages from. Default `[baseDir, process.cwd()]`. */
  resolvePaths?: string[];
  /**
   * CCR's `CUSTOM_ROUTER_PATH`. When set, every `loadPlugins`/`reload` loads it first as the
   * `custom-router` plugin (unless the entries already contain one).
   */
  customRouterPath?: string;
  /**
   * After this many consecutive failed hook calls (throw, reject, timeout, malformed answer) a plugin
   * is disabled until the next `reload`. Default `Infinity` (never).
   */
  maxConsecutiveFailures?: number;
}

/** A plugin that loaded, as listed by `getLoadedPlugins()` and the load report. */
export interface LoadedPluginInfo {
  /** The name from the config entry (used in logs, health and `plugin:<name>` reasons). */
  name: string;
  source: PluginSource;
  version?: string;
  description?: string;
  /** Hooks the plugin implements. */
  hooks: string[];
  /** True once the plugin was disabled for repeated failures. */
  disabled: boolean;
  plugin: ConduitPlugin;
}

/** A plugin that could not be loaded. */
export interface PluginLoadFailure {
  name: string;
  source?: PluginSource;
  stage: PluginLoadError['stage'];
  message: string;
  /** Reasons given by `validateConfig`, when it rejected the config. */
  issues: string[];
  error: PluginLoadError;
}

/** What `loadPlugins` did, entry by entry. */
export interface PluginLoadReport {
  loaded: LoadedPluginInfo[];
  /** Entries with `enabled: false`. */
  skipped: { name: string; reason: 'disabled' }[];
  failed: PluginLoadFailure[];
}
