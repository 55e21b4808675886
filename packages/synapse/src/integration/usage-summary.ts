import type { UsageAggregate, UsageStats } from '@conduit/monitoring';

/** Usage of a project (or one agent of it) over a time range, from the ledger. */
export interface SynapseUsageSummary {
  projectId: string | null;
  agentId: string | null;
  since: string | null;
  until: string | null;
  /** Known cost in USD (rows without a price are counted in `unpricedRequests`). */
  totalCost: number;
  requestCount: number;
  errorCount: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  unpricedRequests: number;
  /** Rows whose token counts were estimated (e.g. routing records). */
  estimatedRequests: number;
  /** Per agent, model and UTC day (for the whole project, even when `agentId` is given). */
  byAgent: UsageStats['byAgent'];
  byModel: UsageStats['byModel'];
  byDay: UsageStats['byDay'];
}

const emptyAggregate: UsageAggregate = {
  requests: 0,
  errors: 0,
  errorRate: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  estimatedRequests: 0,
  costUsd: 0,
  unpricedRequests: 0,
  latencyMs: { p50: null, p95: null, average: null },
  ttfbMs: { p50: null, p95: null, average: null },
};

/** Condenses ledger statistics into a {@link SynapseUsageSummary}, optionally for one agent. */
export function summarizeUsage(stats: UsageStats, agentId?: string): SynapseUsageSummary {
  const totals =
    agentId === undefined
      ? stats.totals
      : (stats.byAgent.find(entry => entry.agentId === agentId) ?? emptyAggregate);
  return {
    projectId: stats.projectId,
    agentId: agentId ?? null,
    since: stats.since,
    until: stats.until,
    totalCost: totals.costUsd,
    requestCount: totals.requests,
    errorCount: totals.errors,
    inputTokens: totals.inputTokens,
    outputTokens: totals.outputTokens,
    cacheReadTokens: totals.cacheReadTokens,
    cacheWriteTokens: totals.cacheWriteTokens,
    unpricedRequests: totals.unpricedRequests,
    estimatedRequests: totals.estimatedRequests,
    byAgent: stats.byAgent,
    byModel: stats.byModel,
    byDay: stats.byDay,
  };
}
