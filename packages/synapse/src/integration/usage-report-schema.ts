/**
 * The zod schema of a Synapse usage report, built on first use; `usage-report.ts` exports it.
 * @module
 */
import type { SynapseSchemas } from '../context/synapse-schemas.js';

type Zod = typeof import('zod').z;

/** Builds the schema with `z` and the real Synapse schemas (called once, on first use). */
export function defineUsageReportSchemas(z: Zod, { synapseIdSchema }: SynapseSchemas) {
  const tokenCountSchema = z.number().int().nonnegative();

  const synapseUsageReportSchema = z.strictObject({
    projectId: synapseIdSchema,
    agentId: synapseIdSchema.optional(),
    sessionId: synapseIdSchema.optional(),
    provider: z.string().trim().min(1),
    model: z.string().trim().min(1),
    inputTokens: tokenCountSchema,
    outputTokens: tokenCountSchema,
    cacheReadTokens: tokenCountSchema.optional(),
    cacheWriteTokens: tokenCountSchema.optional(),
    latencyMs: z.number().nonnegative().optional(),
    /** HTTP-style status of the call (default 200). */
    status: z.number().int().min(100).max(599).optional(),
    errorType: z.string().min(1).optional(),
    /** Ledger row id; a report with an id already in the ledger is ignored (idempotent retries). */
    requestId: z.string().min(1).max(200).optional(),
    /** When the call started (default now). */
    timestamp: z.date().optional(),
    /** Route reason stored in the ledger (default `synapse-reported`). */
    routeReason: z.string().min(1).optional(),
    streamed: z.boolean().optional(),
  });

  return { synapseUsageReportSchema };
}
