/**
 * The `synapse` section of the Conduit config.
 * @module
 */
import { ConfigError, type ConfigIssue } from '@conduit/core';
import { z } from 'zod';
import {
  agentTypeSchema,
  budgetLimitsSchema,
  routeOrSlotSchema,
  routeStringSchema,
  synapseIdSchema,
  synapseModelConfigSchema,
} from '../context/synapse-schemas.js';

/** The agent-type mapping used when the config sets none (also in the `synapse` preset). */
export const defaultAgentMapping: Readonly<Record<string, string>> = Object.freeze({
  coding: 'default',
  analysis: 'default',
  reasoning: 'think',
  general: 'default',
});

/**
 * `synapse.budgets`: cost limits in USD per UTC day/month.
 * - `project` / `agent`: the default for every project / agent;
 * - `projects.<id>`: one project (its `agent` key: the default for that project's agents);
 * - `agents.<id>`: one agent.
 * The most specific setting wins per field.
 *
 * @example
 * { "project": { "daily": 20 }, "projects": { "web": { "daily": 50, "agent": { "daily": 5 } } },
 *   "agents": { "reviewer": { "monthly": 30 } } }
 */
export const synapseBudgetsSchema = z.strictObject({
  project: budgetLimitsSchema.optional(),
  agent: budgetLimitsSchema.optional(),
  projects: z
    .record(
      synapseIdSchema,
      budgetLimitsSchema.extend({ agent: budgetLimitsSchema.optional() }).strict(),
    )
    .optional(),
  agents: z.record(synapseIdSchema, budgetLimitsSchema).optional(),
});

/** See {@link synapseBudgetsSchema}. */
export type SynapseBudgets = z.output<typeof synapseBudgetsSchema>;

/**
 * The `synapse` config section. Every key is optional.
 *
 * | key | default | meaning |
 * | --- | --- | --- |
 * | `enabled` | `true` | `false` turns the plugin into a no-op |
 * | `contextHeaders` | `true` | read `x-synapse-*` request headers |
 * | `agentMapping` | coding/analysis/general → `default`, reasoning → `think` | agent type → Router slot or `provider,model` for requests that would otherwise take the `default` route |
 * | `projects` / `agents` | `{}` | model configs by project / agent id (see `synapseModelConfigSchema`) |
 * | `budgets` | none | cost limits (see {@link synapseBudgetsSchema}) |
 * | `budgetAction` | `reject` | over budget: `reject` (429 `rate_limit_error`) or `downgrade` |
 * | `downgradeRoute` | none | the cheaper `provider,model` for `downgrade` |
 * | `budgetCacheTtlMs` | `5000` | how long a spend figure read from the ledger is reused |
 * | `budgetLookupTimeoutMs` | `1000` | a ledger read slower than this lets the request through |
 * | `streamMetadata` | `true` | add the `: conduit {...}` SSE comment to streamed responses |
 * | `responseHeaders` | `true` | add `x-synapse-*` and `x-conduit-cost-usd` response headers |
 */
export const synapseSettingsSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    contextHeaders: z.boolean().default(true),
    agentMapping: z.record(agentTypeSchema, routeOrSlotSchema).default({ ...defaultAgentMapping }),
    projects: z.record(synapseIdSchema, synapseModelConfigSchema).default({}),
    agents: z.record(synapseIdSchema, synapseModelConfigSchema).default({}),
    budgets: synapseBudgetsSchema.optional(),
    budgetAction: z.enum(['reject', 'downgrade']).default('reject'),
    downgradeRoute: routeStringSchema.optional(),
    budgetCacheTtlMs: z.number().int().positive().default(5000),
    budgetLookupTimeoutMs: z.number().int().positive().default(1000),
    streamMetadata: z.boolean().default(true),
    responseHeaders: z.boolean().default(true),
  })
  .superRefine((settings, context) => {
    if (settings.budgetAction === 'downgrade' && settings.downgradeRoute === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['downgradeRoute'],
        message: 'is required when budgetAction is "downgrade" (a cheaper "provider,model")',
      });
    }
  });

/** The `synapse` section after defaults. */
export type SynapseSettings = z.output<typeof synapseSettingsSchema>;
/** The `synapse` section as written. */
export type SynapseSettingsInput = z.input<typeof synapseSettingsSchema>;

/**
 * Parses the `synapse` section of a Conduit config (absent → all defaults).
 * @throws ConfigError listing every problem, with `synapse.<key>` paths.
 */
export function parseSynapseSettings(section: unknown): SynapseSettings {
  const parsed = synapseSettingsSchema.safeParse(section ?? {});
  if (parsed.success) return parsed.data;
  const issues: ConfigIssue[] = parsed.error.issues.map(issue => ({
    path: ['synapse', ...issue.path.map(String)].join('.'),
    message:
      issue.code === 'unrecognized_keys'
        ? `has unknown key${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map(key => `"${key}"`).join(', ')}.`
        : `${issue.message}.`,
  }));
  throw new ConfigError({ issues });
}
