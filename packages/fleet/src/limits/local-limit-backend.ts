import type {
  AcquireRequest,
  AcquireResult,
  LimitBackend,
  LimitWindows,
  ScopeUsage,
  SeedSpend,
  Settlement,
} from './limit-types.js';
import { microsPerUsd } from './limit-types.js';

interface Counter {
  value: number;
  expiresAt: number;
}

/**
 * Limit counters in this process: the same fixed windows, leases and budget counters as the
 * Redis backend, for a single instance (or while Redis is unreachable). Synchronous inside, so a
 * check and its increments are atomic on Node's one thread.
 */
export class LocalLimitBackend implements LimitBackend {
  readonly kind = 'local' as const;
  private readonly counters = new Map<string, Counter>();
  private readonly leases = new Map<string, Map<string, number>>();
  private sweptAt = 0;

  async acquire(request: AcquireRequest): Promise<AcquireResult> {
    const { windows, scopes } = request;
    const now = windows.now;
    this.sweep(now);
    const usage: ScopeUsage[] = [];
    for (const [scopeIndex, scope] of scopes.entries()) {
      const { rpm, tpm, concurrency, budgetDaily, budgetMonthly } = scope.limits;
      const requests = this.read(requestKey(scope.id, windows), now);
      const tokens = this.read(tokenKey(scope.id, windows), now);
      const untilWindowEnd = windows.windowEnd - now;
      if (rpm && requests + 1 > rpm) {
        return { allowed: false, reason: 'requests', scopeIndex, retryAfterMs: untilWindowEnd };
      }
      if (tpm && tokens > 0 && tokens + request.estimatedTokens > tpm) {
        return { allowed: false, reason: 'tokens', scopeIndex, retryAfterMs: untilWindowEnd };
      }
      if (concurrency && this.activeLeases(scope.id, now) >= concurrency) {
        return { allowed: false, reason: 'concurrency', scopeIndex, retryAfterMs: 1000 };
      }
      if (budgetDaily && this.read(dayKey(scope.id, windows), now) >= budgetDaily * microsPerUsd) {
        return {
          allowed: false,
          reason: 'budget-daily',
          scopeIndex,
          retryAfterMs: windows.dayEnd - now,
        };
      }
      if (
        budgetMonthly &&
        this.read(monthKey(scope.id, windows), now) >= budgetMonthly * microsPerUsd
      ) {
        return {
          allowed: false,
          reason: 'budget-monthly',
          scopeIndex,
          retryAfterMs: windows.monthEnd - now,
        };
      }
      usage.push({ requests, tokens });
    }
    for (const scope of scopes) {
      const windowExpiry = windows.windowEnd + 1000;
      this.add(requestKey(scope.id, windows), 1, windowExpiry);
      this.add(tokenKey(scope.id, windows), request.estimatedTokens, windowExpiry);
      if (scope.limits.concurrency) {
        const leases = this.leases.get(scope.id) ?? new Map<string, number>();
        this.leases.set(scope.id, leases);
        leases.set(request.ticketId, now + request.leaseMs);
      }
    }
    return { allowed: true, usage };
  }

  async settle(settlement: Settlement): Promise<void> {
    const { windows } = settlement;
    for (const scope of settlement.scopes) {
      if (settlement.tokenDelta !== 0) {
        this.add(tokenKey(scope.id, windows), settlement.tokenDelta, windows.windowEnd + 1000);
      }
      this.leases.get(scope.id)?.delete(settlement.ticketId);
      if (settlement.costMicros > 0) {
        await this.addSpend(scope.id, windows, settlement.costMicros);
      }
    }
  }

  async addSpend(scopeId: string, windows: LimitWindows, costMicros: number): Promise<void> {
    this.add(dayKey(scopeId, windows), costMicros, windows.dayEnd + 86_400_000);
    this.add(monthKey(scopeId, windows), costMicros, windows.monthEnd + 86_400_000);
  }

  async seedSpend(scopeId: string, windows: LimitWindows, spend: SeedSpend): Promise<void> {
    const seed = (key: string, value: number, expiresAt: number) => {
      const counter = this.counters.get(key);
      if (!counter || counter.expiresAt <= windows.now)
        this.counters.set(key, { value, expiresAt });
    };
    seed(dayKey(scopeId, windows), spend.dayMicros, windows.dayEnd + 86_400_000);
    seed(monthKey(scopeId, windows), spend.monthMicros, windows.monthEnd + 86_400_000);
  }

  async readSpend(scopeId: string, windows: LimitWindows): Promise<SeedSpend> {
    return {
      dayMicros: this.read(dayKey(scopeId, windows), windows.now),
      monthMicros: this.read(monthKey(scopeId, windows), windows.now),
    };
  }

  private read(key: string, now: number): number {
    const counter = this.counters.get(key);
    return counter && counter.expiresAt > now ? counter.value : 0;
  }

  private add(key: string, amount: number, expiresAt: number): void {
    const counter = this.counters.get(key);
    if (counter && counter.expiresAt > Date.now()) {
      counter.value += amount;
      counter.expiresAt = Math.max(counter.expiresAt, expiresAt);
    } else {
      this.counters.set(key, { value: amount, expiresAt });
    }
  }

  private activeLeases(scopeId: string, now: number): number {
    const leases = this.leases.get(scopeId);
    if (!leases) return 0;
    for (const [ticket, expiresAt] of leases) if (expiresAt <= now) leases.delete(ticket);
    return leases.size;
  }

  /** Drops expired counters now and then, so memory stays bounded by the live windows. */
  private sweep(now: number): void {
    if (now - this.sweptAt < 10_000) return;
    this.sweptAt = now;
    for (const [key, counter] of this.counters)
      if (counter.expiresAt <= now) this.counters.delete(key);
  }
}

export function requestKey(scopeId: string, windows: LimitWindows): string {
  return `rl:${scopeId}:r:${windows.windowMs}:${windows.window}`;
}
export function tokenKey(scopeId: string, windows: LimitWindows): string {
  return `rl:${scopeId}:t:${windows.windowMs}:${windows.window}`;
}
export function leaseKey(scopeId: string): string {
  return `rl:${scopeId}:c`;
}
export function dayKey(scopeId: string, windows: LimitWindows): string {
  return `rl:${scopeId}:d:${windows.day}`;
}
export function monthKey(scopeId: string, windows: LimitWindows): string {
  return `rl:${scopeId}:m:${windows.month}`;
}
