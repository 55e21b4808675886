/**
 * zod schemas of the Synapse values that arrive as JSON (environment variables, headers, config):
 * cost limits and project/agent model configs.
 * @module
 */
import { lazySchema, schemasOnFirstUse } from '@conduit/core';
import type { z } from 'zod';
import { defineSynapseSchemas } from './synapse-schemas-definitions.js';

export { isRouteSlot, type RouteSlot, routeSlots } from './route-slots.js';

/** The real (not lazy) Synapse schemas. */
export type SynapseSchemas = ReturnType<typeof defineSynapseSchemas>;

/**
 * The real schemas, built on the first use of any of them: importing Synapse does not load zod.
 * Schemas of other modules compose these (not the lazy exports below) into their own.
 */
export const getSynapseSchemas: () => SynapseSchemas = schemasOnFirstUse(defineSynapseSchemas);

/** A `provider,model` string. */
export const routeStringSchema = lazySchema(() => getSynapseSchemas().routeStringSchema);

/** A `Router` slot name or a `provider,model` route. */
export const routeOrSlotSchema = lazySchema(() => getSynapseSchemas().routeOrSlotSchema);

/** Agent types are identifiers: `coding`, `analysis`, `reasoning`, `general`, or your own. */
export const agentTypeSchema = lazySchema(() => getSynapseSchemas().agentTypeSchema);

/**
 * A project, agent or task id: 1 to 256 characters, no control characters, no surrounding
 * whitespace (trimmed).
 */
export const synapseIdSchema = lazySchema(() => getSynapseSchemas().synapseIdSchema);

/** Daily and monthly limits in USD (UTC day and month). */
export const budgetLimitsSchema = lazySchema(() => getSynapseSchemas().budgetLimitsSchema);

/** `{ daily?, monthly? }` in USD. */
export type BudgetLimits = z.output<typeof budgetLimitsSchema>;

/**
 * Cost limits carried by a Synapse context (`SYNAPSE_COST_LIMITS`, `x-synapse-cost-limits`):
 * `daily`/`monthly` apply to the context's project, `perAgent` to its agent. They can only
 * tighten the budgets configured in `synapse.budgets`, never raise them.
 *
 * @example
 * { "daily": 5, "monthly": 100, "perAgent": { "daily": 1 } }
 */
export const synapseCostLimitsSchema = lazySchema(
  () => getSynapseSchemas().synapseCostLimitsSchema,
);

/** See {@link synapseCostLimitsSchema}. */
export type SynapseCostLimits = z.output<typeof synapseCostLimitsSchema>;

/** The `Router` slots a project or agent may override (a subset of core's `Router`). */
export const synapseRouterOverrideSchema = lazySchema(
  () => getSynapseSchemas().synapseRouterOverrideSchema,
);

/**
 * A project or agent model config (`SYNAPSE_PROJECT_MODEL_CONFIG`, `SYNAPSE_AGENT_MODEL_CONFIG`,
 * `synapse.projects.<id>`, `synapse.agents.<id>`):
 * - `model`: every request of the project/agent goes to this `provider,model` (a request that
 *   names `provider,model` itself still wins);
 * - `Router`: replaces the global `Router` slots for this project/agent (CCR's project-level
 *   Router): a request routed to the `think` scenario uses `Router.think` from here when set;
 * - `agentMapping`: agent type → Router slot or `provider,model`, over `synapse.agentMapping`.
 *
 * @example
 * { "Router": { "default": "deepseek,deepseek-chat", "think": "deepseek,deepseek-reasoner" } }
 * { "model": "anthropic,claude-sonnet-4-5" }
 */
export const synapseModelConfigSchema = lazySchema(
  () => getSynapseSchemas().synapseModelConfigSchema,
);

/** See {@link synapseModelConfigSchema}. */
export type SynapseModelConfig = z.output<typeof synapseModelConfigSchema>;

/** Renders zod issues as `daily: must be a number of US dollars; perAgent.x: unrecognized key`. */
export function describeZodIssues(error: z.ZodError): string {
  return error.issues
    .map(issue => {
      const path = issue.path.map(String).join('.');
      const message =
        issue.code === 'unrecognized_keys'
          ? `unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map(key => `"${key}"`).join(', ')}`
          : issue.message;
      return path ? `${path}: ${message}` : message;
    })
    .join('; ');
}
