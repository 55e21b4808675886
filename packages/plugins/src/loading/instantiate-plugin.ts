import type { ConduitPlugin, PluginLoadContext } from '@conduit/core';
import { PluginLoadError } from '../errors/plugin-load-error.js';
import { isRecord } from './normalize-plugin-entry.js';

/** The optional members of `ConduitPlugin` that must be functions when present. */
export const pluginHookNames = [
  'onLoad',
  'onUnload',
  'beforeRouting',
  'afterRouting',
  'customRouter',
  'getHealth',
  'validateConfig',
] as const;

/**
 * A function that builds a plugin from its config: `(config, context) => plugin` (sync or async),
 * or a class constructed with `new`.
 */
export type PluginFactory = (
  config: Record<string, unknown>,
  context: PluginLoadContext,
) => ConduitPlugin | Promise<ConduitPlugin>;

/** A plugin class: `new Plugin(config, context)`. */
type PluginClass = new (config: Record<string, unknown>, context: PluginLoadContext) => unknown;

type PluginExport =
  | { kind: 'object'; value: object }
  | { kind: 'factory'; value: PluginFactory }
  | { kind: 'class'; value: PluginClass };

/**
 * Finds the plugin in a loaded module and builds it. Accepted shapes, first match wins:
 * 1. the default export (`export default`, or `module.exports` of a CommonJS file),
 *    including a transpiled `exports.default`;
 * 2. a named export `plugin`;
 * 3. the module itself, when it looks like a plugin (named exports `name`, `beforeRouting`, … or an
 *    inline plugin object).
 * Each may be a plugin object, a factory function `(config, context) => plugin | Promise<plugin>`,
 * or a class (constructed with `new Plugin(config, context)`).
 */
export async function instantiatePlugin(
  moduleValue: unknown,
  {
    pluginName,
    config,
    context,
  }: { pluginName: string; config: Record<string, unknown>; context: PluginLoadContext },
): Promise<ConduitPlugin> {
  const found = findPluginExport(moduleValue, 0);
  if (!found) {
    throw new PluginLoadError({
      pluginName,
      stage: 'shape',
      message:
        'the module exports no plugin. Export a plugin object (with hooks such as beforeRouting or customRouter) or a factory function, as the default export, module.exports, or a named export "plugin".',
    });
  }
  let candidate: unknown = found.value;
  if (found.kind !== 'object') {
    try {
      candidate =
        found.kind === 'class'
          ? new found.value(config, context)
          : await found.value(config, context);
    } catch (error) {
      throw new PluginLoadError({
        pluginName,
        stage: 'create',
        message: `its factory threw: ${describeError(error)}`,
        cause: error,
      });
    }
  }
  assertPluginShape(candidate, pluginName);
  return candidate;
}

function findPluginExport(value: unknown, depth: number): PluginExport | undefined {
  if (isPluginFunction(value)) {
    return isClass(value) ? { kind: 'class', value } : { kind: 'factory', value };
  }
  if (!isRecordLike(value)) return undefined;
  if (depth < 3) {
    for (const key of ['default', 'plugin']) {
      const nested = findPluginExport((value as Record<string, unknown>)[key], depth + 1);
      if (nested) return nested;
    }
  }
  return looksLikePlugin(value) ? { kind: 'object', value } : undefined;
}

function looksLikePlugin(value: object): boolean {
  const record = value as Record<string, unknown>;
  return (
    typeof record.name === 'string' ||
    pluginHookNames.some(hook => typeof record[hook] === 'function')
  );
}

function assertPluginShape(value: unknown, pluginName: string): asserts value is ConduitPlugin {
  if (!isRecordLike(value)) {
    throw new PluginLoadError({
      pluginName,
      stage: 'shape',
      message: `its factory returned ${describeValue(value)} instead of a plugin object.`,
    });
  }
  const record = value as Record<string, unknown>;
  const badHooks = pluginHookNames.filter(
    hook => record[hook] !== undefined && typeof record[hook] !== 'function',
  );
  if (badHooks.length > 0) {
    throw new PluginLoadError({
      pluginName,
      stage: 'shape',
      message: `${badHooks.map(hook => `"${hook}"`).join(', ')} must be a function.`,
    });
  }
  if (record.name !== undefined && typeof record.name !== 'string') {
    throw new PluginLoadError({ pluginName, stage: 'shape', message: '"name" must be a string.' });
  }
}

/** Objects, including class instances and module namespace objects (null-prototype). */
function isRecordLike(value: unknown): value is object {
  return isRecord(value);
}

/**
 * Any function a module exports as its plugin is taken for a factory (or class) with the plugin
 * signature: JavaScript cannot check a signature, so what it returns is checked instead
 * (`assertPluginShape`), and a throw is reported as the factory's.
 */
function isPluginFunction(value: unknown): value is PluginFactory | PluginClass {
  return typeof value === 'function';
}

function isClass(value: PluginFactory | PluginClass): value is PluginClass {
  return /^class[\s{]/.test(Function.prototype.toString.call(value));
}

/** A one-line description of a thrown value, for logs and reports. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  return describeValue(error);
}

/** A short description of a value's type, for "returned X" messages (never the whole value). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}`;
  }
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
