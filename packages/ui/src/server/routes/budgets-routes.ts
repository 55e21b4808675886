/**
 * `GET /ui/api/budgets`: spend against each Synapse budget (`synapse.budgets`), per project and
 * per agent, for today and this month (UTC windows, as the budget guard counts them), from the
 * ledger. `configured: false` when no budgets are set.
 * @module
 */
import type { UsageBreakdownDimension, UsageTracker } from '@conduit/monitoring';
import { Hono } from 'hono';
import type { UIGateway } from '../ui-gateway.js';

interface Limits {
  daily?: number;
  monthly?: number;
}

interface BudgetsConfig {
  project?: Limits;
  agent?: Limits;
  projects?: Record<string, Limits>;
  agents?: Record<string, Limits>;
}

export interface BudgetLine {
  scope: 'project' | 'agent';
  id: string;
  period: 'daily' | 'monthly';
  limitUsd: number;
  spentUsd: number;
  /** spent / limit. */
  used: number;
}

function readBudgets(config: unknown): BudgetsConfig | null {
  const synapse = (config as { synapse?: { budgets?: unknown } }).synapse;
  const budgets = synapse?.budgets;
  return budgets && typeof budgets === 'object' ? (budgets as BudgetsConfig) : null;
}

function windowStart(period: 'daily' | 'monthly', now: number): number {
  const date = new Date(now);
  return period === 'daily'
    ? Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate())
    : Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

async function spendBy(
  tracker: UsageTracker,
  by: UsageBreakdownDimension,
  since: number,
  until: number,
) {
  const breakdown = await tracker.getBreakdown(
    { since: new Date(since), until: new Date(until + 1) },
    by,
  );
  return new Map(breakdown.entries.map(entry => [entry.key, entry.costUsd]));
}

export function createBudgetsRoutes(options: { gateway: UIGateway; now: () => number }): Hono {
  const app = new Hono();
  app.get('/budgets', async context => {
    const budgets = readBudgets(options.gateway.config);
    const tracker = options.gateway.usageTracker;
    if (!budgets) return context.json({ configured: false, lines: [] });
    if (!tracker)
      return context.json({
        configured: true,
        lines: [],
        message: 'The usage ledger is off, so spend is unknown.',
      });
    const now = options.now();
    const lines: BudgetLine[] = [];
    for (const period of ['daily', 'monthly'] as const) {
      const since = windowStart(period, now);
      for (const scope of ['project', 'agent'] as const) {
        const spend = await spendBy(tracker, scope, since, now);
        const specific = (scope === 'project' ? budgets.projects : budgets.agents) ?? {};
        const general = scope === 'project' ? budgets.project : budgets.agent;
        const ids = new Set([
          ...Object.keys(specific),
          ...(general?.[period] !== undefined ? [...spend.keys()] : []),
        ]);
        for (const id of ids) {
          if (id === null) continue;
          const limit = specific[id]?.[period] ?? general?.[period];
          if (limit === undefined) continue;
          const spent = spend.get(id) ?? 0;
          lines.push({
            scope,
            id,
            period,
            limitUsd: limit,
            spentUsd: spent,
            used: limit > 0 ? spent / limit : 1,
          });
        }
      }
    }
    lines.sort((left, right) => right.used - left.used || left.id.localeCompare(right.id));
    return context.json({ configured: true, lines });
  });
  return app;
}
