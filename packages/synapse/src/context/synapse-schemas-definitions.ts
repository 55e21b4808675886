/**
 * The zod schemas of the Synapse values that arrive as JSON, built on first use;
 * `synapse-schemas.ts` exports them.
 * @module
 */
import { parseRouteTarget } from '@conduit/core';
import { isRouteSlot, routeSlots } from './route-slots.js';

type Zod = typeof import('zod').z;

/** Builds the schemas with `z` (called once, on first use: see core's `load-zod.ts`). */
export function defineSynapseSchemas(z: Zod) {
  /** A `provider,model` string. */
  const routeStringSchema = z
    .string()
    .trim()
    .refine(value => parseRouteTarget(value) !== null, {
      message: 'must be a "provider,model" route, e.g. "deepseek,deepseek-chat"',
    });

  /** A `Router` slot name or a `provider,model` route. */
  const routeOrSlotSchema = z
    .string()
    .trim()
    .refine(value => isRouteSlot(value) || parseRouteTarget(value) !== null, {
      message: `must be a Router slot (${routeSlots.join(', ')}) or a "provider,model" route`,
    });

  /** Agent types are identifiers: `coding`, `analysis`, `reasoning`, `general`, or your own. */
  const agentTypeSchema = z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z][a-z0-9_-]{0,63}$/, {
      message:
        'must be an identifier such as "coding", "analysis", "reasoning" or "general" (letters, digits, "-" and "_", starting with a letter)',
    });

  /**
   * A project, agent or task id: 1 to 256 characters, no control characters, no surrounding
   * whitespace (trimmed).
   */
  const synapseIdSchema = z
    .string()
    .trim()
    .min(1, { message: 'must not be empty' })
    .max(256, { message: 'must be at most 256 characters' })
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    .refine(value => !/[\u0000-\u001f\u007f]/.test(value), {
      message: 'must not contain control characters',
    });

  const usdAmountSchema = z
    .number({ message: 'must be a number of US dollars' })
    .finite()
    .nonnegative({ message: 'must be 0 or more US dollars' });

  /** Daily and monthly limits in USD (UTC day and month). */
  const budgetLimitsSchema = z.strictObject({
    daily: usdAmountSchema.optional(),
    monthly: usdAmountSchema.optional(),
  });

  /**
   * Cost limits carried by a Synapse context (`SYNAPSE_COST_LIMITS`, `x-synapse-cost-limits`):
   * `daily`/`monthly` apply to the context's project, `perAgent` to its agent. They can only
   * tighten the budgets configured in `synapse.budgets`, never raise them.
   *
   * @example
   * { "daily": 5, "monthly": 100, "perAgent": { "daily": 1 } }
   */
  const synapseCostLimitsSchema = z.strictObject({
    daily: usdAmountSchema.optional(),
    monthly: usdAmountSchema.optional(),
    perAgent: budgetLimitsSchema.optional(),
  });

  /** The `Router` slots a project or agent may override (a subset of core's `Router`). */
  const synapseRouterOverrideSchema = z.strictObject({
    default: routeStringSchema.optional(),
    background: routeStringSchema.optional(),
    think: routeStringSchema.optional(),
    longContext: routeStringSchema.optional(),
    longContextThreshold: z.number().int().positive().optional(),
    webSearch: routeStringSchema.optional(),
    image: routeStringSchema.optional(),
  });

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
  const synapseModelConfigSchema = z.strictObject({
    model: routeStringSchema.optional(),
    Router: synapseRouterOverrideSchema.optional(),
    agentMapping: z.record(agentTypeSchema, routeOrSlotSchema).optional(),
  });

  return {
    routeStringSchema,
    routeOrSlotSchema,
    agentTypeSchema,
    synapseIdSchema,
    budgetLimitsSchema,
    synapseCostLimitsSchema,
    synapseRouterOverrideSchema,
    synapseModelConfigSchema,
  };
}
