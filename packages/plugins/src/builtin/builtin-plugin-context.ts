import type { ConduitPlugin, PluginLoadContext } from '@conduit/core';

/** What a built-in plugin's factory receives besides its config. */
export interface BuiltinPluginContext extends PluginLoadContext {
  /** Directory of the config file. */
  baseDir: string;
}

/** Builds a built-in plugin from its config (validation happens in the plugin's `validateConfig`). */
export type BuiltinPluginFactory = (
  config: Record<string, unknown>,
  context: BuiltinPluginContext,
) => ConduitPlugin | Promise<ConduitPlugin>;
