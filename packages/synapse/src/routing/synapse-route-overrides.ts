/**
 * Pure routing logic of the Synapse plugin: project/agent model configs and the agent-type
 * mapping applied to the core router's decision.
 * @module
 */
import type { ParsedConduitConfig, RouteScenario, RoutingDecision } from '@conduit/core';
import type { SynapseSettings } from '../config/synapse-settings.js';
import type { SynapseContext } from '../context/synapse-context.js';
import { isRouteSlot, type RouteSlot } from '../context/synapse-schemas.js';
import type { RouteResolver } from './route-resolver.js';
import { effectiveModelConfigs } from './effective-model-config.js';

/** Route reasons set by the Synapse plugin (shown in `x-conduit-route`). */
export const synapseRouteReasons = {
  agentModel: 'synapse-agent-model',
  projectModel: 'synapse-project-model',
  agentRouter: 'synapse-agent-router',
  projectRouter: 'synapse-project-router',
  agentType: 'synapse-agent-type',
  budgetDowngrade: 'budget-downgrade',
} as const;

const scenarioReasons = new Set<string>(routeSlots());

function routeSlots(): RouteSlot[] {
  return ['default', 'background', 'think', 'longContext', 'webSearch', 'image'];
}

/**
 * The forced route of a project or agent `model` config, for `customRouter`. A request that
 * names `provider,model` itself keeps it.
 */
export function selectForcedModel(
  context: SynapseContext,
  settings: SynapseSettings,
  requestModel: string,
): { route: string; reason: string } | null {
  if (requestModel.includes(',')) return null;
  const configs = effectiveModelConfigs(context, settings);
  if (configs.agent?.model)
    return { route: configs.agent.model, reason: synapseRouteReasons.agentModel };
  if (configs.project?.model) {
    return { route: configs.project.model, reason: synapseRouteReasons.projectModel };
  }
  return null;
}

/** What {@link applyRouteOverrides} needs. */
export interface RouteOverrideInputs {
  decision: RoutingDecision;
  context: SynapseContext;
  settings: SynapseSettings;
  config: ParsedConduitConfig;
  resolver: RouteResolver;
}

/**
 * Applies agent-type mapping and project/agent `Router` overrides to a decision the core router
 * made from its built-in scenarios (`default`, `think`, `longContext`, ...). Decisions from an
 * explicit `provider,model`, a `<CCR-SUBAGENT-MODEL>` tag, a custom rule or another plugin are
 * left alone: they are deliberate choices.
 *
 * Precedence: a project/agent `Router.longContextThreshold` may send the request to
 * `longContext`; then, for the `default` scenario, the agent type's mapping picks a slot (or a
 * `provider,model`); the slot is resolved through the agent's `Router`, then the project's, then
 * the global `Router`.
 */
export function applyRouteOverrides(inputs: RouteOverrideInputs): RoutingDecision {
  const { decision, context, settings, config, resolver } = inputs;
  if (!scenarioReasons.has(String(decision.reason))) return decision;
  const configs = effectiveModelConfigs(context, settings);
  const agentRouter = configs.agent?.Router ?? {};
  const projectRouter = configs.project?.Router ?? {};

  let slot: RouteSlot = decision.scenario as RouteSlot;
  let reason: string | undefined;
  let mappedRoute: string | undefined;

  const threshold = agentRouter.longContextThreshold ?? projectRouter.longContextThreshold;
  const longContextRoute =
    agentRouter.longContext ?? projectRouter.longContext ?? config.Router.longContext;
  if (
    threshold !== undefined &&
    slot !== 'longContext' &&
    longContextRoute !== undefined &&
    decision.tokenCount > threshold
  ) {
    slot = 'longContext';
    reason =
      agentRouter.longContextThreshold !== undefined
        ? synapseRouteReasons.agentRouter
        : synapseRouteReasons.projectRouter;
  }

  if (slot === 'default' && context.agentType !== undefined) {
    const mapped =
      configs.agent?.agentMapping?.[context.agentType] ??
      configs.project?.agentMapping?.[context.agentType] ??
      settings.agentMapping[context.agentType];
    if (mapped !== undefined && isRouteSlot(mapped)) {
      if (mapped !== 'default') {
        slot = mapped;
        reason = synapseRouteReasons.agentType;
      }
    } else if (mapped !== undefined) {
      mappedRoute = mapped;
      reason = synapseRouteReasons.agentType;
    }
  }

  let route = mappedRoute;
  if (route === undefined) {
    if (agentRouter[slot] !== undefined) {
      route = agentRouter[slot];
      reason ??= synapseRouteReasons.agentRouter;
    } else if (projectRouter[slot] !== undefined) {
      route = projectRouter[slot];
      reason ??= synapseRouteReasons.projectRouter;
    } else if (slot !== decision.scenario) {
      route = config.Router[slot];
    }
  }
  if (route === undefined || reason === undefined) return decision;
  const target = resolver.resolve(route);
  if (!target) return decision;
  if (
    target.provider === decision.provider &&
    target.model === decision.model &&
    slot === decision.scenario
  ) {
    return decision;
  }
  return {
    ...decision,
    provider: target.provider,
    model: target.model,
    reason,
    scenario: slot as RouteScenario,
    fallbacks:
      slot === decision.scenario ? decision.fallbacks : [...(config.fallback?.[slot] ?? [])],
    metadata: {
      ...decision.metadata,
      synapseRoute: {
        slot,
        routedFrom: `${decision.provider},${decision.model}`,
        originalReason: decision.reason,
      },
    },
  };
}
