import type { Logger } from '@conduit/core';
import type { LedgerSpendSeeder } from '../budgets/ledger-spend-seeder.js';
import { stateUnavailable } from '../fleet-errors.js';
import type { SharedState } from '../cluster/shared-state.js';
import type {
  AcquireRequest,
  AcquireResult,
  LimitBackend,
  LimitWindows,
  SeedSpend,
  Settlement,
} from './limit-types.js';
import { LocalLimitBackend } from './local-limit-backend.js';
import { RedisLimitBackend } from './redis-limit-backend.js';

/** At most this many settlements wait for Redis to return; older ones are dropped (and counted). */
const maxPending = 10_000;

/**
 * The limiter every request goes through: Redis when configured and reachable (every instance
 * sees the same counters), this process's counters otherwise. With Redis down it serves under
 * local limits (`failMode: open`) or refuses with 503 (`closed`); settlements it could not write
 * to Redis are queued (bounded) and replayed when Redis returns, so budgets catch up.
 */
export class FleetLimiter {
  readonly local = new LocalLimitBackend();
  private readonly redis: RedisLimitBackend | undefined;
  private readonly pending: Settlement[] = [];
  private droppedSettlements = 0;

  constructor(
    private readonly options: {
      shared?: SharedState;
      failMode: 'open' | 'closed';
      logger: Logger;
      /** Seeds budget counters from the ledger on first use (restarts, Redis data loss). */
      seeder?: LedgerSpendSeeder;
    },
  ) {
    const shared = options.shared;
    if (shared) {
      this.redis = new RedisLimitBackend(shared.commands, shared.prefix);
      shared.onReconnect(() => {
        // Redis may have come back empty: seed budgets from the ledger again, then replay.
        options.seeder?.reset();
        void this.reconcile();
      });
    }
  }

  /** Settlements waiting for Redis, and how many were dropped because the queue was full. */
  get backlog(): { pending: number; dropped: number } {
    return { pending: this.pending.length, dropped: this.droppedSettlements };
  }

  async acquire(
    request: AcquireRequest,
  ): Promise<{ result: AcquireResult; backend: LimitBackend }> {
    const redis = this.redis;
    if (redis && this.options.shared?.connected) {
      try {
        await this.options.seeder?.seed(redis, request.scopes, request.windows);
        return { result: await redis.acquire(request), backend: redis };
      } catch (error) {
        this.options.logger.warn('fleet: Redis limit check failed; using local limits', {
          message: error instanceof Error ? error.message : String(error),
        });
      }
    }
    if (redis && this.options.failMode === 'closed') {
      throw stateUnavailable(
        'Conduit cannot check rate limits: the shared Redis is unreachable and fleet.failMode is "closed". Retry shortly.',
        'shared-state-unavailable',
      );
    }
    await this.options.seeder?.seed(this.local, request.scopes, request.windows);
    return { result: await this.local.acquire(request), backend: this.local };
  }

  /**
   * A scope's spend today and this month, from the counters requests are checked against (Redis
   * when reachable, else this process's), without counting anything.
   */
  async readSpend(scopeId: string, windows: LimitWindows): Promise<SeedSpend> {
    if (this.redis && this.options.shared?.connected) {
      try {
        return await this.redis.readSpend(scopeId, windows);
      } catch {
        // Fall through to the local counters, as `acquire` does.
      }
    }
    return this.local.readSpend(scopeId, windows);
  }

  /** Applies a finished request where it was counted; Redis failures are queued for later. */
  async settle(backend: LimitBackend, settlement: Settlement): Promise<void> {
    if (backend.kind === 'local') {
      await this.local.settle(settlement);
      // Spend made while Redis was down still counts against the shared budgets.
      if (this.redis && settlement.costMicros > 0) this.enqueue({ ...settlement, tokenDelta: 0 });
      return;
    }
    try {
      await backend.settle(settlement);
    } catch {
      this.enqueue(settlement);
    }
  }

  /** Replays queued settlements into Redis (called when it is reachable again). */
  async reconcile(): Promise<void> {
    const redis = this.redis;
    if (!redis) return;
    let replayed = 0;
    while (this.pending.length > 0 && this.options.shared?.connected) {
      const next = this.pending[0]!;
      try {
        await redis.settle({ ...next, windows: { ...next.windows, now: Date.now() } });
      } catch {
        break;
      }
      this.pending.shift();
      replayed++;
    }
    if (replayed > 0) {
      this.options.logger.info('fleet: reconciled spend and leases into Redis', {
        settlements: replayed,
        stillPending: this.pending.length,
      });
    }
  }

  private enqueue(settlement: Settlement): void {
    if (this.pending.length >= maxPending) {
      this.pending.shift();
      this.droppedSettlements++;
    }
    this.pending.push(settlement);
    if (this.options.shared?.connected) void this.reconcile();
  }
}
