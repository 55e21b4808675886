import type { PluginConfig } from '@conduit/core';
import { SYNAPSE_PLUGIN_NAME, type SynapsePlugin } from './create-synapse-plugin.js';

/** The fields of a plugin entry this reads (`@conduit/plugins`' `PluginEntry` is one). */
export interface PluginEntryLike {
  name: string;
  enabled?: boolean;
  config?: Record<string, unknown>;
  options?: Record<string, unknown>;
  hookTimeoutMs?: number;
}

/**
 * Puts a Synapse plugin instance into a plugin list. The `synapse` entry of the preset
 * (`{ "name": "synapse", "source": "builtin" }`) is replaced by the instance, keeping its place,
 * `enabled` flag and `config`; without such an entry the plugin goes first, so plugins after it
 * see the Synapse metadata.
 *
 * `@conduit/plugins` cannot ship `synapse` as a built-in (it depends on core only), so every host
 * that honours the preset (the meta-package's composition root) passes its entries through here.
 */
export function withSynapsePlugin<Entry extends PluginEntryLike>(
  entries: readonly Entry[],
  plugin: SynapsePlugin,
): (Entry | PluginConfig)[] {
  let placed = false;
  const result: (Entry | PluginConfig)[] = [];
  for (const entry of entries) {
    if (entry?.name !== SYNAPSE_PLUGIN_NAME) {
      result.push(entry);
      continue;
    }
    if (placed) continue;
    placed = true;
    result.push({
      name: SYNAPSE_PLUGIN_NAME,
      source: 'inline',
      module: plugin,
      ...(entry.enabled === undefined ? {} : { enabled: entry.enabled }),
      ...((entry.config ?? entry.options) ? { config: entry.config ?? entry.options } : {}),
      ...(entry.hookTimeoutMs === undefined ? {} : { hookTimeoutMs: entry.hookTimeoutMs }),
    });
  }
  if (!placed) result.unshift({ name: SYNAPSE_PLUGIN_NAME, source: 'inline', module: plugin });
  return result;
}
