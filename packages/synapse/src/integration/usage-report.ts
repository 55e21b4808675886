import { InvalidRequestError, lazySchema, loadZod } from '@conduit/core';
import type { z } from 'zod';
import { describeZodIssues, getSynapseSchemas } from '../context/synapse-schemas.js';
import { defineUsageReportSchemas } from './usage-report-schema.js';

type UsageReportSchemas = ReturnType<typeof defineUsageReportSchemas>;

let schemas: UsageReportSchemas | undefined;

/** Built on first use: importing Synapse does not load zod. */
function getSchemas(): UsageReportSchemas {
  schemas ??= defineUsageReportSchemas(loadZod().z, getSynapseSchemas());
  return schemas;
}

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
