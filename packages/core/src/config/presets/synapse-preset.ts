import type { ConduitConfigInput } from '../config-schema.js';

/**
 * The built-in `synapse` preset. It mirrors `config/synapse-preset.json` at the repository root (a
 * test keeps the two identical); it is embedded so the published package needs no data file.
 *
 * It carries no providers and names no routes: agent types map to the user's own `Router` slots, so
 * the preset merges under any working config. The user's config overrides every key.
 */
export const synapsePreset: ConduitConfigInput = {
  Router: {
    longContextThreshold: 50000,
  },
  plugins: [
    {
      name: 'synapse',
      enabled: true,
      source: 'builtin',
    },
  ],
  synapse: {
    contextHeaders: true,
    agentMapping: {
      coding: 'default',
      analysis: 'default',
      reasoning: 'think',
      general: 'default',
    },
    streamMetadata: true,
  },
  usage: {
    enabled: true,
  },
};
