import type { Logger } from '@conduit/core';
import type { UsageQuery, UsageStore } from '@conduit/monitoring';
import type { LimitBackend, LimitScope, LimitWindows } from '../limits/limit-types.js';
import { microsPerUsd } from '../limits/limit-types.js';

/**
 * Seeds budget counters from the usage ledger the first time this instance meets a budgeted scope
 * in a day, so neither a restart nor a Redis that lost its data resets what was already spent.
 * Counters that exist win (Redis `SET NX`); a ledger that cannot be read is logged and skipped
 * (the budget then counts from the live counters only).
 */
export class LedgerSpendSeeder {
  private readonly seeded = new Map<string, Promise<void>>();

  constructor(
    private readonly openLedger: () => UsageStore | undefined,
    private readonly logger: Logger,
  ) {}

  /** Seeds every budgeted scope not yet seeded today; resolves when done. */
  async seed(backend: LimitBackend, scopes: readonly LimitScope[], windows: LimitWindows) {
    const pending: Promise<void>[] = [];
    for (const scope of scopes) {
      if (!scope.limits.budgetDaily && !scope.limits.budgetMonthly) continue;
      const marker = `${backend.kind}:${scope.id}:${windows.day}`;
      let seeding = this.seeded.get(marker);
      if (!seeding) {
        seeding = this.seedScope(backend, scope.id, windows);
        this.seeded.set(marker, seeding);
      }
      pending.push(seeding);
    }
    await Promise.all(pending);
  }

  /** Forgets what was seeded (Redis came back empty-handed, perhaps): seed again on next use. */
  reset(): void {
    this.seeded.clear();
  }

  private async seedScope(backend: LimitBackend, scopeId: string, windows: LimitWindows) {
    const ledger = this.openLedger();
    const filter = scopeFilter(scopeId);
    if (!ledger || !filter) return;
    try {
      const monthStart = new Date(windows.monthEnd);
      monthStart.setUTCMonth(monthStart.getUTCMonth() - 1);
      const dayStart = new Date(windows.dayEnd - 86_400_000);
      const [day, month] = await Promise.all([
        ledger.getStats({ ...filter, since: dayStart }),
        ledger.getStats({ ...filter, since: monthStart }),
      ]);
      await backend.seedSpend(scopeId, windows, {
        dayMicros: Math.round(day.totals.costUsd * microsPerUsd),
        monthMicros: Math.round(month.totals.costUsd * microsPerUsd),
      });
    } catch (error) {
      this.logger.warn('fleet: budget spend could not be read from the ledger', {
        scope: scopeId,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

function scopeFilter(scopeId: string): UsageQuery | undefined {
  if (scopeId === 'global') return {};
  const separator = scopeId.indexOf(':');
  const kind = scopeId.slice(0, separator);
  const id = scopeId.slice(separator + 1);
  if (kind === 'key') return { apiKeyId: id };
  if (kind === 'project') return { projectId: id };
  if (kind === 'agent') return { agentId: id };
  return undefined;
}
