import type { ConduitPlugin, PluginLogger } from '@conduit/core';
import type { PluginSource } from './loading/normalize-plugin-entry.js';

/** A plugin the manager holds, with its isolation state. */
export interface LoadedPlugin {
  /** The name from the config entry. */
  name: string;
  source: PluginSource;
  plugin: ConduitPlugin;
  logger: PluginLogger;
  hookTimeoutMs: number;
  consecutiveFailures: number;
  disabled: boolean;
  /** The last hook failure, for health output. */
  lastFailure?: string;
}
