import type { CostBreakdown, CostLine, UsageAggregate, UsageStats } from './usage-types.js';

/** Key used for rows without an agent or project. */
export const unattributedKey = '(none)';

/** Reshapes statistics into a cost breakdown, each list sorted by cost descending. */
export function toCostBreakdown(stats: UsageStats): CostBreakdown {
  const total = stats.totals.costUsd;
  const line = (key: string, aggregate: UsageAggregate): CostLine => ({
    key,
    requests: aggregate.requests,
    costUsd: aggregate.costUsd,
    share: total > 0 ? aggregate.costUsd / total : 0,
    unpricedRequests: aggregate.unpricedRequests,
  });
  return {
    projectId: stats.projectId,
    since: stats.since,
    until: stats.until,
    totalCostUsd: total,
    unpricedRequests: stats.totals.unpricedRequests,
    byModel: stats.byModel.map(row => line(`${row.provider},${row.model}`, row)),
    byProvider: stats.byProvider.map(row => line(row.provider, row)),
    byAgent: stats.byAgent.map(row => line(row.agentId ?? unattributedKey, row)),
    byDay: stats.byDay.map(row => line(row.day, row)),
  };
}
