/**
 * Budget enforcement from the usage ledger, without a database read per request.
 * @module
 */
import { type Logger, silentLogger } from '@conduit/core';
import type { BudgetPeriod, BudgetViolation } from '../errors/budget-exceeded-error.js';
import type { ApplicableBudgets, BudgetReading, BudgetStanding } from './budget-limits.js';
import { budgetWindow } from './budget-windows.js';
import {
  type Accumulator,
  addSpend,
  combineSpend,
  type SpendSnapshot,
  type SpendSource,
} from './spend-source.js';

/** Options of {@link BudgetGuard}. */
export interface BudgetGuardOptions {
  source: SpendSource;
  /** How long a ledger figure is reused before it is refreshed (default 5000 ms). */
  cacheTtlMs?: number;
  /** A first lookup slower than this lets the request through (default 1000 ms). */
  lookupTimeoutMs?: number;
  /** Epoch ms clock (tests). */
  now?: () => number;
  logger?: Logger;
  /** At most this many cached windows (default 10000). */
  maxCachedWindows?: number;
}

/** A cost the guard should count before the ledger shows it. */
export interface SpendEntry {
  projectId?: string | null;
  agentId?: string | null;
  /** Null or undefined (unknown price) counts as nothing. */
  costUsd: number | null | undefined;
  /** Epoch ms; default now. */
  at?: number;
}

/** The guard's health, plain JSON. */
export interface BudgetGuardHealth {
  status: 'healthy' | 'degraded';
  cachedWindows: number;
  lookups: number;
  failedLookups: number;
  lastError: string | null;
}

interface CachedWindow {
  projectId: string | undefined;
  period: BudgetPeriod;
  start: number;
  base: SpendSnapshot | undefined;
  loadedAt: number;
  /** Spend recorded since the base was read. */
  pending: Accumulator;
  refresh: { promise: Promise<boolean>; pending: Accumulator } | undefined;
}

const allProjects = '\u0001all';
const periods = ['daily', 'monthly'] as const;

/**
 * Checks a request's budgets against spend read from the usage ledger. Each (project, period)
 * window is read once and cached for `cacheTtlMs`; costs the server records meanwhile
 * ({@link recordSpend}) are added on top, so the figure stays current between reads. A stale
 * figure is served while a refresh runs in the background; only the very first read of a window
 * is awaited, and a ledger that is slow or down lets requests through (logged, and shown in
 * health) rather than blocking the gateway.
 *
 * @example
 * const guard = new BudgetGuard({ source: createLedgerSpendSource(tracker) });
 * const violation = await guard.check({ project: { id: 'web', daily: 5 } });
 */
export class BudgetGuard {
  private readonly source: SpendSource;
  private readonly cacheTtlMs: number;
  private readonly lookupTimeoutMs: number;
  private readonly now: () => number;
  private readonly logger: Logger;
  private readonly maxCachedWindows: number;
  private readonly windows = new Map<string, CachedWindow>();
  private lookups = 0;
  private failedLookups = 0;
  private lastError: string | null = null;
  private lastFailureAt = Number.NEGATIVE_INFINITY;

  constructor(options: BudgetGuardOptions) {
    this.source = options.source;
    this.cacheTtlMs = options.cacheTtlMs ?? 5000;
    this.lookupTimeoutMs = options.lookupTimeoutMs ?? 1000;
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? silentLogger;
    this.maxCachedWindows = options.maxCachedWindows ?? 10000;
  }

  /**
   * The first budget the request is over (project daily, project monthly, agent daily, agent
   * monthly), or null. Spend equal to the limit counts as over: a limit of 0 blocks everything.
   */
  async check(budgets: ApplicableBudgets): Promise<BudgetViolation | null> {
    const at = this.now();
    this.prune(at);
    const over = (await this.readAll(budgets, at)).find(
      reading => reading.spentUsd !== null && reading.spentUsd >= reading.limitUsd,
    );
    if (!over || over.spentUsd === null) return null;
    const { scope, id, projectId, period, spentUsd, limitUsd } = over;
    return {
      scope,
      id,
      ...(projectId === undefined ? {} : { projectId }),
      period,
      spentUsd,
      limitUsd,
      resetsAt: new Date(budgetWindow(period, at).end).toISOString(),
    };
  }

  /**
   * How much of each budget is spent, in {@link check}'s order, without reserving or recording
   * anything (for displays: the status line's "near the limit" mark). It reads the same cached
   * figures as `check`; a budget whose spend is unknown (ledger slow or failing) is left out.
   */
  async peek(budgets: ApplicableBudgets): Promise<BudgetStanding[]> {
    const at = this.now();
    this.prune(at);
    const standings: BudgetStanding[] = [];
    for (const { spentUsd, ...reading } of await this.readAll(budgets, at)) {
      if (spentUsd === null) continue;
      const fraction = reading.limitUsd > 0 ? spentUsd / reading.limitUsd : 1;
      standings.push({ ...reading, spentUsd, fraction });
    }
    return standings;
  }

  /** Counts a finished request's cost in every cached window it belongs to. */
  recordSpend(entry: SpendEntry): void {
    const cost = entry.costUsd;
    if (typeof cost !== 'number' || !Number.isFinite(cost) || cost <= 0) return;
    const at = entry.at ?? this.now();
    const projectId = entry.projectId ?? undefined;
    const agentId = entry.agentId ?? undefined;
    for (const window of this.windows.values()) {
      if (at < window.start) continue;
      if (window.projectId !== undefined && window.projectId !== projectId) continue;
      addSpend(window.pending, cost, agentId);
      if (window.refresh) addSpend(window.refresh.pending, cost, agentId);
    }
  }

  /** Forgets every cached figure (the next check reads the ledger). */
  invalidate(): void {
    this.windows.clear();
  }

  getHealth(): BudgetGuardHealth {
    const recentFailure = this.now() - this.lastFailureAt < 60_000;
    return {
      status: recentFailure ? 'degraded' : 'healthy',
      cachedWindows: this.windows.size,
      lookups: this.lookups,
      failedLookups: this.failedLookups,
      lastError: this.lastError,
    };
  }

  /** Every budget's limit and current spend (null when unknown), in the order `check` tests them. */
  private readAll(budgets: ApplicableBudgets, at: number): Promise<BudgetReading[]> {
    const reads: Array<Promise<BudgetReading>> = [];
    const { project, agent } = budgets;
    for (const period of periods) {
      const limitUsd = project?.[period];
      if (!project || limitUsd === undefined) continue;
      reads.push(
        this.read(project.id, period, at).then(spend => ({
          scope: 'project',
          id: project.id,
          period,
          limitUsd,
          spentUsd: spend === null ? null : spend.totalUsd,
        })),
      );
    }
    for (const period of periods) {
      const limitUsd = agent?.[period];
      if (!agent || limitUsd === undefined) continue;
      reads.push(
        this.read(agent.projectId, period, at).then(spend => ({
          scope: 'agent',
          id: agent.id,
          ...(agent.projectId === undefined ? {} : { projectId: agent.projectId }),
          period,
          limitUsd,
          spentUsd: spend === null ? null : (spend.byAgent.get(agent.id) ?? 0),
        })),
      );
    }
    return Promise.all(reads);
  }

  /** Current spend of a window, or null when it is unknown (ledger slow or failing). */
  private async read(
    projectId: string | undefined,
    period: BudgetPeriod,
    at: number,
  ): Promise<SpendSnapshot | null> {
    const { start } = budgetWindow(period, at);
    const key = `${projectId ?? allProjects}\u0000${period}\u0000${start}`;
    let window = this.windows.get(key);
    if (!window) {
      window = {
        projectId,
        period,
        start,
        base: undefined,
        loadedAt: 0,
        pending: { totalUsd: 0, byAgent: new Map() },
        refresh: undefined,
      };
      this.windows.set(key, window);
      this.evictIfFull();
    }
    if (window.base) {
      if (at - window.loadedAt >= this.cacheTtlMs) this.startRefresh(window);
      return combineSpend(window.base, window.pending);
    }
    const loaded = await this.awaitWithTimeout(this.startRefresh(window));
    if (!loaded || !window.base) return null;
    return combineSpend(window.base, window.pending);
  }

  private startRefresh(window: CachedWindow): Promise<boolean> {
    if (window.refresh) return window.refresh.promise;
    const pending: Accumulator = { totalUsd: 0, byAgent: new Map() };
    this.lookups++;
    const promise = this.source
      .getSpend(window.projectId, new Date(window.start))
      .then(snapshot => {
        window.base = snapshot;
        window.pending = pending;
        window.loadedAt = this.now();
        return true;
      })
      .catch((error: unknown) => {
        this.recordFailure(error, window);
        return false;
      })
      .finally(() => {
        window.refresh = undefined;
      });
    window.refresh = { promise, pending };
    return promise;
  }

  private async awaitWithTimeout(promise: Promise<boolean>): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>(resolve => {
      timer = setTimeout(() => {
        this.logger.warn('Budget lookup is slow; letting the request through', {
          timeoutMs: this.lookupTimeoutMs,
        });
        resolve(false);
      }, this.lookupTimeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private recordFailure(error: unknown, window: CachedWindow): void {
    this.failedLookups++;
    this.lastError = error instanceof Error ? error.message : String(error);
    this.lastFailureAt = this.now();
    this.logger.warn('Budget lookup failed; requests are let through until the ledger answers', {
      projectId: window.projectId ?? null,
      period: window.period,
      error: this.lastError,
    });
  }

  private prune(at: number): void {
    for (const [key, window] of this.windows) {
      if (budgetWindow(window.period, at).start !== window.start) this.windows.delete(key);
    }
  }

  private evictIfFull(): void {
    while (this.windows.size > this.maxCachedWindows) {
      const oldest = this.windows.keys().next().value;
      if (oldest === undefined) return;
      this.windows.delete(oldest);
    }
  }
}
