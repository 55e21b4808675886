import type { UsageStore, UsageTracker } from '@conduit/monitoring';

/** Spend in one window: the total of a project (or of all projects) and per agent. */
export interface SpendSnapshot {
  totalUsd: number;
  byAgent: ReadonlyMap<string, number>;
}

/** Where budgets read spend from: the usage ledger. */
export interface SpendSource {
  /** Known spend since `since` for `projectId` (all projects when undefined). */
  getSpend(projectId: string | undefined, since: Date): Promise<SpendSnapshot>;
}

/**
 * Reads spend from the usage ledger through a tracker (queued rows are written first) or a
 * store. Rows without a known price count as $0: the ledger keeps their cost as null.
 */
export function createLedgerSpendSource(ledger: UsageTracker | UsageStore): SpendSource {
  return {
    async getSpend(projectId, since) {
      const stats =
        'trackRequest' in ledger
          ? await ledger.getStats(projectId, { since })
          : await ledger.getStats({ since, ...(projectId === undefined ? {} : { projectId }) });
      const byAgent = new Map<string, number>();
      for (const agent of stats.byAgent) {
        if (agent.agentId !== null) byAgent.set(agent.agentId, agent.costUsd);
      }
      return { totalUsd: stats.totals.costUsd, byAgent };
    },
  };
}

/** Spend recorded on top of a ledger figure. */
export interface Accumulator {
  totalUsd: number;
  byAgent: Map<string, number>;
}

/** Adds one cost to an accumulator (and to its agent's share). */
export function addSpend(
  accumulator: Accumulator,
  cost: number,
  agentId: string | undefined,
): void {
  accumulator.totalUsd += cost;
  if (agentId !== undefined) {
    accumulator.byAgent.set(agentId, (accumulator.byAgent.get(agentId) ?? 0) + cost);
  }
}

/** A ledger figure with the spend recorded since it was read. */
export function combineSpend(base: SpendSnapshot, pending: Accumulator): SpendSnapshot {
  if (pending.totalUsd === 0 && pending.byAgent.size === 0) return base;
  const byAgent = new Map(base.byAgent);
  for (const [agentId, cost] of pending.byAgent)
    byAgent.set(agentId, (byAgent.get(agentId) ?? 0) + cost);
  return { totalUsd: base.totalUsd + pending.totalUsd, byAgent };
}
