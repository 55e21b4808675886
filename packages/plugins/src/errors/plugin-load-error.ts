import { ConduitError } from '@conduit/core';

const name = 'PluginLoadError';
const marker = `conduit.error.${name}`;
const symbol = Symbol.for(marker);

/**
 * Where loading a plugin failed:
 * - `config`: the plugin entry itself is unusable (no name, unknown source, duplicate name)
 * - `resolve`: the file or package could not be found
 * - `import`: the module threw or failed to parse while being imported
 * - `shape`: the module does not export a plugin, or a hook is not a function
 * - `create`: the plugin's factory threw
 * - `validate`: `validateConfig` rejected the plugin's config, or threw
 * - `load`: `onLoad` threw, rejected or timed out
 */
export type PluginLoadStage =
  | 'config'
  | 'resolve'
  | 'import'
  | 'shape'
  | 'create'
  | 'validate'
  | 'load';

/** A plugin could not be loaded. Collected in the load report, never thrown out of `loadPlugins`. */
export class PluginLoadError extends ConduitError {
  private readonly [symbol] = true;
  readonly pluginName: string;
  readonly stage: PluginLoadStage;
  /** The reasons `validateConfig` gave, when `stage` is `validate`. */
  readonly issues: string[];

  constructor({
    pluginName,
    stage,
    message,
    issues = [],
    cause,
  }: {
    pluginName: string;
    stage: PluginLoadStage;
    message: string;
    issues?: string[];
    cause?: unknown;
  }) {
    super({ name, message: `Plugin "${pluginName}" was not loaded (${stage}): ${message}`, cause });
    this.pluginName = pluginName;
    this.stage = stage;
    this.issues = issues;
  }

  static override isInstance(error: unknown): error is PluginLoadError {
    return ConduitError.hasMarker(error, marker);
  }
}
