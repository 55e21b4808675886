import { SYNAPSE_PLUGIN_NAME } from '../routing/create-synapse-plugin.js';

/**
 * Whether a Conduit config asks for Synapse: the `synapse` preset, a `synapse` section, or a
 * plugin entry named `synapse`. Such a config needs `createSynapseServer`: the plain server's
 * plugin manager cannot load the `synapse` plugin (it lives in this package, above
 * `@conduit/plugins`).
 * @example
 * const server = usesSynapse(config) ? await createSynapseServer(config) : createConduitServer(config);
 */
export function usesSynapse(config: {
  preset?: unknown;
  synapse?: unknown;
  plugins?: readonly unknown[];
}): boolean {
  if (config.preset === 'synapse') return true;
  if (config.synapse !== undefined && config.synapse !== null) return true;
  return (config.plugins ?? []).some(
    entry =>
      entry !== null &&
      typeof entry === 'object' &&
      (entry as { name?: unknown }).name === SYNAPSE_PLUGIN_NAME,
  );
}
