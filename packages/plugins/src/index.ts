/**
 * @conduit/plugins: loads Conduit plugins (file, npm, inline, built-in; ESM and CommonJS), runs their
 * routing hooks with isolation, runs claude-code-router `CUSTOM_ROUTER_PATH` scripts, and ships
 * built-in plugins.
 * @module
 */
export type {
  ConduitPlugin,
  CustomRouteResult,
  PluginConfig,
  PluginConfigValidation,
  PluginHealth,
  PluginLoadContext,
  PluginLogger,
  RoutingHooks,
} from '@conduit/core';
export { PluginManager } from './plugin-manager.js';
export type {
  LoadedPluginInfo,
  PluginLoadFailure,
  PluginLoadReport,
  PluginManagerOptions,
} from './plugin-manager-types.js';
export type { PluginHealthEntry, PluginHealthReport } from './plugin-health.js';
export type { PluginEntry, PluginSource } from './loading/normalize-plugin-entry.js';
export type { PluginFactory } from './loading/instantiate-plugin.js';
export { PluginLoadError, type PluginLoadStage } from './errors/plugin-load-error.js';
export { PluginRejectionError } from './errors/plugin-rejection-error.js';
export { PluginTimeoutError } from './errors/plugin-timeout-error.js';
export {
  createCustomRouterPlugin,
  type CustomRouterFunction,
  type CustomRouterLog,
  type CustomRouterPlugin,
  type CustomRouterPluginOptions,
  type CustomRouterRequest,
} from './ccr/create-custom-router-plugin.js';
export {
  CUSTOM_ROUTER_PLUGIN_NAME,
  pluginConfigsFromConduitConfig,
} from './ccr/plugin-configs-from-conduit-config.js';
export {
  getBuiltinPlugin,
  isBuiltinPluginName,
  listBuiltinPluginNames,
  type BuiltinPluginContext,
  type BuiltinPluginFactory,
} from './builtin/builtin-plugins.js';
export {
  createRequestMetadataTaggerPlugin,
  type RequestMetadataTaggerConfig,
} from './builtin/request-metadata-tagger/index.js';
export {
  readClaudeCodeMarkers,
  type ClaudeCodeMarkers,
} from './builtin/request-metadata-tagger/read-claude-code-markers.js';
export {
  createModelAllowlistPlugin,
  type ModelAllowlistConfig,
} from './builtin/model-allowlist/index.js';
export { createTokenSpeedPlugin } from './builtin/token-speed/index.js';
export { plugins, type Plugins, type PluginsOptions } from './server/create-plugins.js';
