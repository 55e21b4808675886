import type { ConduitConfigInput } from '../config-schema.js';
import { synapsePreset } from './synapse-preset.js';

/** Presets shipped with Conduit, by name. A config selects one with `"preset": "<name>"`. */
export const builtInPresets: Readonly<Record<string, ConduitConfigInput>> = Object.freeze({
  synapse: synapsePreset,
});
