import type { BudgetUse } from '@conduit/core';
import type { BudgetGuard } from './budget-guard.js';
import type { ApplicableBudgets } from './budget-limits.js';

/** Sessions remembered at most (oldest forgotten first); one small entry each. */
const maxSessions = 1000;

/**
 * The budgets that applied to each Claude Code session's latest request, so the gateway can say
 * how close a session is to them (`GET /api/sessions/:id`, the status line's mark) without the
 * session's headers. Reading spends nothing: it asks the guard's {@link BudgetGuard.peek}.
 */
export class SessionBudgets {
  private readonly sessions = new Map<string, ApplicableBudgets>();

  constructor(private readonly guard: BudgetGuard) {}

  /** Remembers the budgets of a session's latest request; a request under none forgets it. */
  remember(sessionId: string, budgets: ApplicableBudgets): void {
    this.sessions.delete(sessionId);
    if (!budgets.project && !budgets.agent) return;
    this.sessions.set(sessionId, budgets);
    if (this.sessions.size > maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
  }

  /** Forgets every session (the budgets changed with the config). */
  clear(): void {
    this.sessions.clear();
  }

  /** The session's budgets and their spend now; none when the session is unknown. */
  async read(sessionId: string): Promise<BudgetUse[]> {
    const budgets = this.sessions.get(sessionId);
    if (!budgets) return [];
    const standings = await this.guard.peek(budgets);
    return standings.map(({ scope, id, period, spentUsd, limitUsd, fraction }) => ({
      scope,
      id,
      period,
      spentUsd,
      limitUsd,
      fraction,
      source: 'synapse',
    }));
  }
}
