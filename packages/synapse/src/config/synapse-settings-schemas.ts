/**
 * The zod schemas of the `synapse` config section, built on first use; `synapse-settings.ts`
 * exports them.
 * @module
 */
import type { SynapseSchemas } from '../context/synapse-schemas.js';
import { defaultAgentMapping } from './default-agent-mapping.js';

type Zod = typeof import('zod').z;

/**
 * Builds the schemas with `z` (called once, on first use: see core's `load-zod.ts`). `base` are
 * the real Synapse schemas: `.extend`/`.strict` on a lazy export would work too, but composing
 * the real ones keeps the first parse from going through a proxy on every nested schema.
 */
export function defineSynapseSettingsSchemas(z: Zod, base: SynapseSchemas) {
  const {
    agentTypeSchema,
    budgetLimitsSchema,
    routeOrSlotSchema,
    routeStringSchema,
    synapseIdSchema,
    synapseModelConfigSchema,
  } = base;

  const synapseBudgetsSchema = z.strictObject({
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

  const synapseSettingsSchema = z
    .strictObject({
      enabled: z.boolean().default(true),
      contextHeaders: z.boolean().default(true),
      agentMapping: z
        .record(agentTypeSchema, routeOrSlotSchema)
        .default({ ...defaultAgentMapping }),
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

  return { synapseBudgetsSchema, synapseSettingsSchema };
}
