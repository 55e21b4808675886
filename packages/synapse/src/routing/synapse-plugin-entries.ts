import type { PluginEntry } from '@conduit/plugins';
import { SYNAPSE_PLUGIN_NAME, type SynapsePlugin } from './create-synapse-plugin.js';

/**
 * Puts a Synapse plugin instance into a plugin list. The `synapse` entry of the preset
 * (`{ "name": "synapse", "source": "builtin" }`) is replaced by the instance, keeping its place,
 * `enabled` flag and `config`; without such an entry the plugin goes first, so plugins after it
 * see the Synapse metadata.
 *
 * `@conduit/plugins` cannot ship `synapse` as a built-in (this package depends on it), so every
 * host that honours the preset passes its entries through here.
 */
export function withSynapsePlugin(
  entries: readonly (PluginEntry | Record<string, unknown>)[],
  plugin: SynapsePlugin,
): PluginEntry[] {
  let placed = false;
  const result: PluginEntry[] = [];
  for (const entry of entries as PluginEntry[]) {
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
