import type { BuiltinPluginContext, BuiltinPluginFactory } from './builtin-plugin-context.js';
import { createCustomRouterBuiltin } from '../ccr/create-custom-router-plugin.js';
import { createModelAllowlistPlugin } from './model-allowlist/index.js';
import { createRequestMetadataTaggerPlugin } from './request-metadata-tagger/index.js';
import { createTokenSpeedPlugin } from './token-speed/index.js';

export type { BuiltinPluginContext, BuiltinPluginFactory };

const builtinPlugins: Readonly<Record<string, BuiltinPluginFactory>> = {
  'custom-router': createCustomRouterBuiltin,
  'model-allowlist': config => createModelAllowlistPlugin(config),
  'request-metadata-tagger': config => createRequestMetadataTaggerPlugin(config),
  'token-speed': config => createTokenSpeedPlugin(config),
};

/** Names usable as `{ "name": "<builtin>" }` or `"source": "builtin"`. */
export function listBuiltinPluginNames(): string[] {
  return Object.keys(builtinPlugins);
}

/** True for the name of a shipped plugin. */
export function isBuiltinPluginName(name: string): boolean {
  return Object.hasOwn(builtinPlugins, name);
}

/** The factory of a shipped plugin, or undefined. */
export function getBuiltinPlugin(name: string): BuiltinPluginFactory | undefined {
  return isBuiltinPluginName(name) ? builtinPlugins[name] : undefined;
}
