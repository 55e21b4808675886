import { InvalidRequestError } from '@conduit/core';
import { z } from 'zod';
import { describeZodIssues, synapseIdSchema } from '../context/synapse-schemas.js';

const tokenCountSchema = z.number().int().nonnegative();

/** What `SynapseIntegration.trackUsage` accepts. */
export const synapseUsageReportSchema = z.strictObject({
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

/** One model call's usage, as Synapse reports it. */
export type SynapseUsageReport = z.input<typeof synapseUsageReportSchema>;

/** @throws InvalidRequestError naming the bad fields. */
export function parseUsageReport(report: unknown): z.output<typeof synapseUsageReportSchema> {
  const parsed = synapseUsageReportSchema.safeParse(report);
  if (parsed.success) return parsed.data;
  const field = parsed.error.issues[0]?.path.map(String).join('.');
  throw new InvalidRequestError({
    message: `Invalid usage report: ${describeZodIssues(parsed.error)}.`,
    ...(field ? { field } : {}),
  });
}
