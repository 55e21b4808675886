import type { BudgetPeriod, BudgetScope } from '../errors/budget-exceeded-error.js';
import type { SynapseBudgets } from '../config/synapse-settings.js';
import type { SynapseContext } from '../context/synapse-context.js';
import type { BudgetLimits } from '../context/synapse-schemas.js';

/** The limits that apply to one request. */
export interface ApplicableBudgets {
  project?: { id: string } & BudgetLimits;
  agent?: { id: string; projectId?: string } & BudgetLimits;
}

/** One budget and how much of it is spent (`BudgetGuard.peek`). */
export interface BudgetStanding {
  scope: BudgetScope;
  /** The project or agent id. */
  id: string;
  /** The project of an agent budget, when known. */
  projectId?: string;
  period: BudgetPeriod;
  spentUsd: number;
  limitUsd: number;
  /** `spentUsd / limitUsd` (≥ 1 once reached; a limit of 0 counts as reached). */
  fraction: number;
}

/** A budget with its spend, null when the ledger could not say. */
export type BudgetReading = Omit<BudgetStanding, 'spentUsd' | 'fraction'> & {
  spentUsd: number | null;
};

/**
 * Picks the budgets for a request: configured limits (most specific per field: `projects.<id>`
 * over `project`; `agents.<id>` over `projects.<id>.agent` over `agent`), tightened by the
 * context's own cost limits. A context can lower a limit, never raise one: a client must not be
 * able to lift its budget with a header. Project limits need a project id, agent limits an
 * agent id.
 */
export function resolveApplicableBudgets(
  budgets: SynapseBudgets | undefined,
  context: SynapseContext,
): ApplicableBudgets {
  const result: ApplicableBudgets = {};
  const limits = context.costLimits;
  if (context.projectId !== undefined) {
    const specific = budgets?.projects?.[context.projectId];
    const daily = tighter(specific?.daily ?? budgets?.project?.daily, limits?.daily);
    const monthly = tighter(specific?.monthly ?? budgets?.project?.monthly, limits?.monthly);
    if (daily !== undefined || monthly !== undefined) {
      result.project = { id: context.projectId, ...defined({ daily, monthly }) };
    }
  }
  if (context.agentId !== undefined) {
    const specific = budgets?.agents?.[context.agentId];
    const projectAgent =
      context.projectId === undefined ? undefined : budgets?.projects?.[context.projectId]?.agent;
    const daily = tighter(
      specific?.daily ?? projectAgent?.daily ?? budgets?.agent?.daily,
      limits?.perAgent?.daily,
    );
    const monthly = tighter(
      specific?.monthly ?? projectAgent?.monthly ?? budgets?.agent?.monthly,
      limits?.perAgent?.monthly,
    );
    if (daily !== undefined || monthly !== undefined) {
      result.agent = {
        id: context.agentId,
        ...(context.projectId === undefined ? {} : { projectId: context.projectId }),
        ...defined({ daily, monthly }),
      };
    }
  }
  return result;
}

function tighter(
  configured: number | undefined,
  requested: number | undefined,
): number | undefined {
  if (configured === undefined) return requested;
  if (requested === undefined) return configured;
  return Math.min(configured, requested);
}

function defined(limits: BudgetLimits): BudgetLimits {
  const result: BudgetLimits = {};
  if (limits.daily !== undefined) result.daily = limits.daily;
  if (limits.monthly !== undefined) result.monthly = limits.monthly;
  return result;
}
