import type { ConduitPlugin, PluginLoadContext } from '@conduit/core';

/** What a built-in plugin's factory receives besides its config. */
export interface BuiltinPluginContext extends PluginLoadContext {
  /** Directory of the config file. */
  baseDir: string;
  /**
   * Set on `reload()`: a built-in that imports a user's file (the CCR custom router) evaluates it
   * again, so edits are picked up. `generation` changes on every load pass (it busts the ESM cache).
   */
  fresh?: boolean;
  generation?: number;
}

/** Builds a built-in plugin from its config (validation happens in the plugin's `validateConfig`). */
export type BuiltinPluginFactory = (
  config: Record<string, unknown>,
  context: BuiltinPluginContext,
) => ConduitPlugin | Promise<ConduitPlugin>;
