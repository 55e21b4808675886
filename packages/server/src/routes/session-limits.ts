import type { RequestRecord } from '@conduit/core';

/**
 * A budget the session's last request ran into, as the gateway saw it: Synapse puts the budget
 * a request went over into its routing metadata (`budget`) when `budgetAction` is `downgrade`.
 */
export interface SessionBudgetState {
  scope: string;
  id: string;
  period: string;
  spentUsd: number;
  limitUsd: number;
  /** `spentUsd / limitUsd` (≥ 1 once the limit is reached). */
  fraction: number;
  /** What the gateway did: `downgraded` (served by the downgrade route). */
  action: 'downgraded';
}

/** The last request of the session was refused with a 429 (a budget or a rate limit). */
export interface SessionRefusal {
  status: number;
  errorType: string | null;
  at: string;
}

interface SessionLimitSignals {
  budgets: SessionBudgetState[];
  refused: SessionRefusal | null;
}

/** Sessions remembered at most (oldest forgotten first); one small entry each. */
const maxSessions = 1000;

/**
 * Budget and limit signals of each session's **last** request (a later request that ran into
 * nothing clears them, as does a new budget window), for `GET /api/sessions/:id`.
 */
export class SessionLimitMemory {
  private readonly sessions = new Map<string, SessionLimitSignals>();

  record(sessionId: string, record: RequestRecord): void {
    const budgets = readBudget(record.metadata.budget ?? record.decision?.metadata?.budget);
    const refused: SessionRefusal | null =
      record.status === 429
        ? {
            status: record.status,
            errorType: record.errorType,
            at: new Date(record.startedAt).toISOString(),
          }
        : null;
    this.sessions.delete(sessionId);
    if (budgets.length === 0 && !refused) return;
    this.sessions.set(sessionId, { budgets, refused });
    if (this.sessions.size > maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
  }

  get(sessionId: string): SessionLimitSignals {
    return this.sessions.get(sessionId) ?? { budgets: [], refused: null };
  }
}

function readBudget(value: unknown): SessionBudgetState[] {
  if (value === null || typeof value !== 'object') return [];
  const budget = value as Record<string, unknown>;
  const { scope, id, period, spentUsd, limitUsd } = budget;
  if (
    typeof scope !== 'string' ||
    typeof id !== 'string' ||
    typeof period !== 'string' ||
    typeof spentUsd !== 'number' ||
    typeof limitUsd !== 'number'
  )
    return [];
  const fraction = limitUsd > 0 ? spentUsd / limitUsd : 1;
  return [{ scope, id, period, spentUsd, limitUsd, fraction, action: 'downgraded' }];
}

/** One short line per signal, for the status line's ⚠ segment. */
export function describeLimitSignals(signals: SessionLimitSignals): string[] {
  const lines = signals.budgets.map(
    budget =>
      `budget ${Math.round(budget.fraction * 100)}%: ${budget.scope} ${budget.id} ${budget.period} ${usd(budget.spentUsd)}/${usd(budget.limitUsd)} (${budget.action})`,
  );
  if (signals.refused)
    lines.push(`last request refused (${signals.refused.status}: budget or rate limit)`);
  return lines;
}

function usd(value: number): string {
  return `$${value >= 1 ? value.toFixed(2) : value.toFixed(4)}`;
}
