import type { SynapseCostLimits, SynapseModelConfig } from './synapse-schemas.js';

/**
 * Who a request is for, as Synapse tells Conduit: through `SYNAPSE_*` environment variables
 * (library mode, `conduit code`) or `x-synapse-*` headers (server mode). Every field is optional.
 */
export interface SynapseContext {
  projectId?: string;
  agentId?: string;
  /** Lower-cased agent type: `coding`, `analysis`, `reasoning`, `general`, or your own. */
  agentType?: string;
  taskType?: string;
  /** Model config of the project (overrides the global `Router`). */
  projectModelConfig?: SynapseModelConfig;
  /** Model config of the agent (overrides the project's). */
  agentModelConfig?: SynapseModelConfig;
  /** Cost limits; they can only tighten configured budgets. */
  costLimits?: SynapseCostLimits;
  /** Synapse's own token estimate (`x-synapse-token-estimate`); informational. */
  tokenEstimate?: number;
}

/** The routing metadata keys Synapse sets (`metadata.projectId` etc. in custom rules). */
export const synapseMetadataKeys = ['projectId', 'agentId', 'agentType', 'taskType'] as const;
