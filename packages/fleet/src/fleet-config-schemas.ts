/**
 * The zod schemas of the `fleet` config section, built on first use; `fleet-config.ts` exports
 * them.
 * @module
 */

type Zod = typeof import('zod').z;

/** Builds the schemas with `z` (called once, on first use: see core's `load-zod.ts`). */
export function defineFleetConfigSchemas(z: Zod) {
  const count = z.number().int().positive();
  const usd = z.number().positive();

  /** Limits of one scope (a key, a project, an agent, or the whole gateway). Absent = unlimited. */
  const scopeLimitsSchema = z
    .object({
      rpm: count.optional().describe('Requests per window (`fleet.windowMs`, default a minute).'),
      tpm: count
        .optional()
        .describe('Input + output tokens per window; estimated up front, settled after.'),
      concurrency: count.optional().describe('Requests in flight at once.'),
      budgetDaily: usd.optional().describe('USD per UTC day.'),
      budgetMonthly: usd.optional().describe('USD per UTC month.'),
    })
    .strict();

  /** The `fleet` section of the Conduit config. */
  const fleetConfigSchema = z
    .object({
      enabled: z.boolean().default(true),
      redis: z
        .string()
        .optional()
        .describe(
          'redis:// URL shared by every instance (else `REDIS_URL`); absent = one instance.',
        ),
      redisPrefix: z.string().min(1).default('conduit:'),
      failMode: z
        .enum(['open', 'closed'])
        .default('open')
        .describe(
          'With Redis unreachable: `open` keeps serving under local limits, `closed` refuses with 503.',
        ),
      windowMs: z
        .number()
        .int()
        .min(1000)
        .default(60_000)
        .describe('Length of the rpm/tpm windows in ms (fixed windows aligned on the epoch).'),
      keys: z
        .object({
          storage: z
            .string()
            .optional()
            .describe(
              'Where virtual keys live (default: `usage.storage`, i.e. the ledger database).',
            ),
          cacheTtlMs: z
            .number()
            .int()
            .min(0)
            .max(1000)
            .default(500)
            .describe(
              'How long an instance trusts a looked-up key; revocations are seen within it.',
            ),
        })
        .strict()
        .default({ cacheTtlMs: 500 }),
      limits: z
        .object({
          global: scopeLimitsSchema.optional(),
          projects: z.record(z.string(), scopeLimitsSchema).default({}),
          agents: z.record(z.string(), scopeLimitsSchema).default({}),
          defaultKey: scopeLimitsSchema
            .optional()
            .describe('Limits for virtual keys that set none of their own.'),
        })
        .strict()
        .default({ projects: {}, agents: {} }),
      circuits: z
        .object({ shared: z.boolean().default(true) })
        .strict()
        .default({ shared: true })
        .describe(
          'With Redis: circuits opened and closed by one instance apply on every instance.',
        ),
      keyCooldowns: z
        .object({ shared: z.boolean().default(true) })
        .strict()
        .default({ shared: true })
        .describe(
          'With Redis: a provider key one instance cools down (429/401) is skipped by all.',
        ),
    })
    .strict();

  return { scopeLimitsSchema, fleetConfigSchema };
}
