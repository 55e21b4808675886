/** @conduit/plugins: loads and isolates Conduit plugins. @module */
export type { ConduitPlugin, PluginConfig, PluginHealth } from '@conduit/core';
