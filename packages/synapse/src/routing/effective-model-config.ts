import type { SynapseSettings } from '../config/synapse-settings.js';
import type { SynapseContext } from '../context/synapse-context.js';
import type { SynapseModelConfig } from '../context/synapse-schemas.js';

/** The model configs that apply to one request, most specific first. */
export interface EffectiveModelConfigs {
  agent: SynapseModelConfig | undefined;
  project: SynapseModelConfig | undefined;
}

/**
 * The agent's and the project's model configs for a request: the config file's
 * `synapse.agents.<id>` / `synapse.projects.<id>`, with the context's own
 * (`SYNAPSE_*_MODEL_CONFIG`, `x-synapse-*-model-config`) laid over them key by key.
 */
export function effectiveModelConfigs(
  context: SynapseContext,
  settings: SynapseSettings,
): EffectiveModelConfigs {
  const agentFromConfig =
    context.agentId === undefined ? undefined : settings.agents[context.agentId];
  const projectFromConfig =
    context.projectId === undefined ? undefined : settings.projects[context.projectId];
  return {
    agent: layer(agentFromConfig, context.agentModelConfig),
    project: layer(projectFromConfig, context.projectModelConfig),
  };
}

function layer(
  base: SynapseModelConfig | undefined,
  over: SynapseModelConfig | undefined,
): SynapseModelConfig | undefined {
  if (!base) return over;
  if (!over) return base;
  return {
    model: over.model ?? base.model,
    Router: base.Router || over.Router ? { ...base.Router, ...over.Router } : undefined,
    agentMapping:
      base.agentMapping || over.agentMapping
        ? { ...base.agentMapping, ...over.agentMapping }
        : undefined,
  };
}

/** Every `provider,model` a model config names (for validation against the providers). */
export function routesOfModelConfig(config: SynapseModelConfig): { path: string; route: string }[] {
  const routes: { path: string; route: string }[] = [];
  if (config.model) routes.push({ path: 'model', route: config.model });
  for (const [slot, value] of Object.entries(config.Router ?? {})) {
    if (typeof value === 'string') routes.push({ path: `Router.${slot}`, route: value });
  }
  for (const [agentType, value] of Object.entries(config.agentMapping ?? {})) {
    if (value.includes(',')) routes.push({ path: `agentMapping.${agentType}`, route: value });
  }
  return routes;
}
