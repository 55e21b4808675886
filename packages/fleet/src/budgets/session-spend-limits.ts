import type { BudgetUse } from '@conduit/core';
import type { FleetLimiter } from '../limits/fleet-limiter.js';
import { type LimitScope, type LimitWindows, microsPerUsd } from '../limits/limit-types.js';

/** Sessions remembered at most (oldest forgotten first). */
const maxSessions = 1000;

/**
 * The spend-limited scopes (key, project, agent, gateway) of each Claude Code session's latest
 * admitted request, so `GET /api/sessions/:id` can say how close the session is to them. Reading
 * asks the limiter's counters and counts nothing.
 */
export class SessionSpendLimits {
  private readonly sessions = new Map<string, LimitScope[]>();

  /** Remembers the scopes with a budget (0 is none, as the limiter reads it); else forgets. */
  remember(sessionId: string, scopes: readonly LimitScope[]): void {
    this.sessions.delete(sessionId);
    const budgeted = scopes.filter(
      scope => Boolean(scope.limits.budgetDaily) || Boolean(scope.limits.budgetMonthly),
    );
    if (budgeted.length === 0) return;
    this.sessions.set(sessionId, budgeted);
    if (this.sessions.size > maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
  }

  /** Each remembered budget with its spend in the current day or month. */
  async read(
    sessionId: string,
    limiter: FleetLimiter,
    windows: LimitWindows,
  ): Promise<BudgetUse[]> {
    const scopes = this.sessions.get(sessionId) ?? [];
    const spends = await Promise.all(scopes.map(scope => limiter.readSpend(scope.id, windows)));
    return scopes.flatMap((scope, index) => {
      const spend = spends[index]!;
      const { scope: kind, id } = describeScope(scope.id);
      const uses: BudgetUse[] = [];
      const add = (period: BudgetUse['period'], limitUsd: number | undefined, micros: number) => {
        if (!limitUsd) return;
        const spentUsd = micros / microsPerUsd;
        const fraction = spentUsd / limitUsd;
        uses.push({ scope: kind, id, period, spentUsd, limitUsd, fraction, source: 'fleet' });
      };
      add('daily', scope.limits.budgetDaily, spend.dayMicros);
      add('monthly', scope.limits.budgetMonthly, spend.monthMicros);
      return uses;
    });
  }
}

/** `key:<id>` → key and id; `global` → global. */
function describeScope(scopeId: string): { scope: string; id: string } {
  const separator = scopeId.indexOf(':');
  if (separator === -1) return { scope: scopeId, id: scopeId };
  return { scope: scopeId.slice(0, separator), id: scopeId.slice(separator + 1) };
}
