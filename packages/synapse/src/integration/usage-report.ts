import { InvalidRequestError, lazySchema, schemasOnFirstUse } from '@conduit/core';
import type { z } from 'zod';
import { describeZodIssues, getSynapseSchemas } from '../context/synapse-schemas.js';
import { defineUsageReportSchemas } from './usage-report-schema.js';

/** Built on first use: importing Synapse does not load zod. */
const getSchemas = schemasOnFirstUse(z => defineUsageReportSchemas(z, getSynapseSchemas()));

/** What `SynapseIntegration.trackUsage` accepts. */
export const synapseUsageReportSchema = lazySchema(() => getSchemas().synapseUsageReportSchema);

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
