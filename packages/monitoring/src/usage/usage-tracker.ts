import { randomUUID } from 'node:crypto';
import {
  ConfigError,
  type Logger,
  type RequestRecord,
  type RoutingContext,
  type RoutingDecision,
  silentLogger,
} from '@conduit/core';
import { PriceResolver } from '../pricing/price-resolver.js';
import { createUsageStore } from '../storage/create-usage-store.js';
import {
  describeError,
  type ListRecordsOptions,
  type UsageStore,
  type UsageStoreKind,
  UsageStorageError,
} from '../storage/usage-store.js';
import { buildUsageRecord, usageRecordFromRequest } from './build-usage-record.js';
import { routingOutcome, usageDataToReport, type UsageData } from './usage-data.js';
import { toCostBreakdown } from './cost-breakdown.js';
import { validateUsageQuery } from './usage-query.js';
import type { UsageBreakdown, UsageBreakdownDimension, UsageSeries } from './usage-series-types.js';
import type {
  CostBreakdown,
  RequestOutcome,
  TimeRange,
  UsageQuery,
  UsageRecord,
  UsageStats,
} from './usage-types.js';

export interface UsageTrackerOptions {
  /**
   * Where rows go. Default: the store `storage` names (see `createUsageStore`), i.e. SQLite at
   * `$CONDUIT_HOME/usage.db` when neither is given.
   */
  store?: UsageStore;
  /** `usage.storage` (a path, `sqlite:<path>` or a `postgres://` URL), used when `store` is absent. */
  storage?: string;
  /** Conduit home for the default SQLite file (default `$CONDUIT_HOME` or `~/.conduit`). */
  home?: string;
  /** Shared with the metrics collector so unknown models are warned about once. */
  prices?: PriceResolver;
  /** Rows per write (`usage.batchSize`, default 100). */
  batchSize?: number;
  /** How often queued rows are written (`usage.flushIntervalMs`, default 1000). */
  flushIntervalMs?: number;
  /** Rows kept while the storage is slow or down (`usage.maxQueueSize`, default 10000). */
  maxQueueSize?: number;
  /** Longest pause between retries while the storage fails (default 30000). */
  maxRetryDelayMs?: number;
  /** How long `close()` keeps retrying a failing storage before giving up (default 5000). */
  closeTimeoutMs?: number;
  /** Start the flush timer (default true; tests flush by hand). */
  autoFlush?: boolean;
  logger?: Logger;
  /** Clock in epoch ms (tests). */
  now?: () => number;
}

/** Usage tracking's own health, plain JSON. */
export interface UsageTrackerHealth {
  status: 'healthy' | 'degraded' | 'unhealthy';
  message?: string;
  backend: UsageStoreKind;
  location: string;
  /** Rows waiting to be written. */
  queued: number;
  maxQueueSize: number;
  /** Rows written since start. */
  written: number;
  /** Rows lost because the queue was full (or the tracker closed). */
  dropped: number;
  /** Reports that could not be turned into a row (caller bug). */
  rejected: number;
  consecutiveFailures: number;
  lastError: string | null;
  lastErrorAt: string | null;
  lastFlushAt: string | null;
  closed: boolean;
}

/** Recent drops keep the tracker `degraded` this long. */
const dropMemoryMs = 5 * 60_000;
/** Warnings about drops and rejects are repeated at most this often. */
const warningIntervalMs = 60_000;

/**
 * The usage ledger's front door. `trackRequest` is synchronous and O(1): it prices the request,
 * appends a row to a bounded in-memory queue and returns; an unref'd timer writes the queue in
 * batches. When the queue is full new rows are dropped and counted; when the storage fails rows
 * stay queued (up to the bound) and writes are retried with backoff; both show in `getHealth()`.
 * Nothing here ever throws into the request path. `close()` writes everything still queued.
 *
 * @example
 * const tracker = new UsageTracker({ store: createUsageStore(config.usage.storage), logger });
 * tracker.trackRequest(context, decision, outcome); // after the response is complete
 * await tracker.close(); // on shutdown
 */
export class UsageTracker {
  readonly store: UsageStore;
  readonly prices: PriceResolver;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly maxQueueSize: number;
  private readonly maxRetryDelayMs: number;
  private readonly closeTimeoutMs: number;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout | undefined;
  private queue: UsageRecord[] = [];
  private flushing: Promise<void> | undefined;
  private flushScheduled = false;
  private closed = false;
  private written = 0;
  private dropped = 0;
  private rejected = 0;
  private consecutiveFailures = 0;
  private nextAttemptAt = 0;
  private lastError: string | null = null;
  private lastErrorAt: number | null = null;
  private lastFlushAt: number | null = null;
  private lastDropAt: number | null = null;
  private lastDropWarningAt = Number.NEGATIVE_INFINITY;
  private lastRejectWarningAt = Number.NEGATIVE_INFINITY;

  /** Without options (the seed plan's `new UsageTracker()`), rows go to `$CONDUIT_HOME/usage.db`. */
  constructor(options: UsageTrackerOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.store =
      options.store ??
      createUsageStore(options.storage, {
        logger: this.logger,
        ...(options.home === undefined ? {} : { home: options.home }),
      });
    this.prices = options.prices ?? new PriceResolver({ logger: this.logger });
    this.batchSize = positiveInteger(options.batchSize, 100, 'batchSize');
    this.flushIntervalMs = positiveInteger(options.flushIntervalMs, 1000, 'flushIntervalMs');
    this.maxQueueSize = positiveInteger(options.maxQueueSize, 10000, 'maxQueueSize');
    this.maxRetryDelayMs = positiveInteger(options.maxRetryDelayMs, 30000, 'maxRetryDelayMs');
    this.closeTimeoutMs = Math.max(0, options.closeTimeoutMs ?? 5000);
    this.now = options.now ?? Date.now;
    if (options.autoFlush !== false) {
      this.timer = setInterval(() => this.flushInBackground(), this.flushIntervalMs);
      this.timer.unref();
    }
  }

  /**
   * Records one finished request. Call exactly once per request, after the response completed.
   * Synchronous and O(1); never throws.
   */
  trackRequest(context: RoutingContext, decision: RoutingDecision, outcome?: RequestOutcome): void {
    if (outcome === undefined) {
      // The seed plan's two-argument form: a routing row, its input tokens estimated from the context.
      this.trackRequest(context, decision, routingOutcome(context, decision, this.now()));
      return;
    }
    let record: UsageRecord;
    try {
      record = buildUsageRecord(context, decision, outcome, this.prices);
    } catch (error) {
      this.reject(error);
      return;
    }
    this.enqueue(record);
  }

  /**
   * Records the server's request record as it is (what `monitoring()`'s observer calls) and
   * returns the priced row, or `null` for a request that failed before routing (nothing to
   * attribute) or a record that cannot be stored. Synchronous and O(1); never throws.
   */
  recordRequest(request: RequestRecord): UsageRecord | null {
    let record: UsageRecord | null;
    try {
      record = usageRecordFromRequest(request, this.prices);
    } catch (error) {
      this.reject(error);
      return null;
    }
    if (record) this.enqueue(record);
    return record;
  }

  private enqueue(record: UsageRecord): void {
    if (this.closed || this.queue.length >= this.maxQueueSize) {
      this.drop();
      return;
    }
    this.queue.push(record);
    if (this.queue.length >= this.batchSize) this.scheduleFlush();
  }

  /**
   * Records one model call reported by the caller (the seed plan's `track(usage)`): tokens as
   * given, priced like every row. Resolves once queued (rows are written in batches).
   * @throws TypeError for a report without provider and model.
   */
  async track(usage: UsageData): Promise<void> {
    const { context, decision, outcome } = usageDataToReport(usage, {
      requestId: `usage_${randomUUID().replaceAll('-', '')}`,
      now: this.now(),
    });
    this.trackRequest(context, decision, outcome);
  }

  /**
   * Writes every queued row. Rejects with a {@link UsageStorageError} when the storage fails; the
   * rows stay queued for the next attempt.
   */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /**
   * Stops the timer and writes everything queued, retrying a failing storage for up to
   * `closeTimeoutMs`, then closes the store. Rejects, naming the number of rows lost, only if
   * rows could not be written.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    const deadline = this.now() + this.closeTimeoutMs;
    let failure: unknown;
    for (;;) {
      try {
        await this.flush();
        failure = undefined;
        break;
      } catch (error) {
        failure = error;
        if (this.now() >= deadline) break;
        await delay(Math.min(250, Math.max(0, deadline - this.now())));
      }
    }
    const lost = this.queue.length;
    await this.store.close().catch((error: unknown) => {
      this.logger.warn('Usage store did not close cleanly', { error: describeError(error) });
    });
    if (lost > 0) {
      this.logger.error('Usage records lost at shutdown: storage unavailable', {
        lost,
        error: describeError(failure),
      });
      throw new UsageStorageError({
        message: `${lost} usage record${lost === 1 ? '' : 's'} could not be written before shutdown: ${describeError(failure)}`,
        backend: this.store.kind,
        cause: failure,
      });
    }
  }

  /** A snapshot of usage tracking's health (no I/O). */
  getHealth(): UsageTrackerHealth {
    const health: UsageTrackerHealth = {
      status: 'healthy',
      backend: this.store.kind,
      location: this.store.location,
      queued: this.queue.length,
      maxQueueSize: this.maxQueueSize,
      written: this.written,
      dropped: this.dropped,
      rejected: this.rejected,
      consecutiveFailures: this.consecutiveFailures,
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt === null ? null : new Date(this.lastErrorAt).toISOString(),
      lastFlushAt: this.lastFlushAt === null ? null : new Date(this.lastFlushAt).toISOString(),
      closed: this.closed,
    };
    if (this.closed) {
      health.status = 'unhealthy';
      health.message = 'usage tracker is closed';
    } else if (this.consecutiveFailures > 0) {
      health.status = 'unhealthy';
      health.message = `usage storage failing (${this.consecutiveFailures} attempt${this.consecutiveFailures === 1 ? '' : 's'}); ${this.queue.length} rows queued: ${this.lastError}`;
    } else if (this.lastDropAt !== null && this.now() - this.lastDropAt < dropMemoryMs) {
      health.status = 'degraded';
      health.message = `${this.dropped} usage rows dropped (queue full)`;
    } else if (this.queue.length >= this.maxQueueSize * 0.8) {
      health.status = 'degraded';
      health.message = `usage queue ${this.queue.length}/${this.maxQueueSize} full`;
    }
    return health;
  }

  /**
   * Probes the storage (connect, migrate, read) and returns the updated health. A store that opens
   * on first use and has not been used yet is only checked as far as it can be without opening it
   * (see `UsageStore.checkBeforeOpen`): the first request or query opens it.
   */
  async checkHealth(): Promise<UsageTrackerHealth> {
    let opened = true;
    try {
      opened = ((await this.store.checkBeforeOpen?.()) ?? 'opened') === 'opened';
      if (opened) await this.store.ping();
      if (this.queue.length === 0) this.consecutiveFailures = 0;
    } catch (error) {
      this.recordFailure(error);
    }
    const health = this.getHealth();
    if (!opened && health.status === 'healthy') {
      health.message = 'not opened yet: the ledger opens when the first request is recorded';
    }
    return health;
  }

  /** Statistics for a project (or all) over a range, optionally for one agent; writes queued rows first when it can. */
  async getStats(
    projectId?: string,
    timeRange: TimeRange & { agentId?: string; sessionId?: string } = {},
  ): Promise<UsageStats> {
    const query = validateUsageQuery(projectId, timeRange);
    await this.flushQuietly();
    const stats = await this.store.getStats(query);
    // Custom stores may predate the seed plan's summary fields.
    return { ...stats, totalCost: stats.totals.costUsd, requestCount: stats.totals.requests };
  }

  /** Where the money went, by model, provider, agent and day. */
  async getCostBreakdown(projectId?: string, timeRange: TimeRange = {}): Promise<CostBreakdown> {
    return toCostBreakdown(await this.getStats(projectId, timeRange));
  }

  /** Aggregates per `bucketMs` bucket over a range; writes queued rows first when it can. */
  async getSeries(query: UsageQuery, bucketMs: number): Promise<UsageSeries> {
    const validated = validateUsageQuery(query.projectId, query);
    await this.flushQuietly();
    return this.store.getSeries(validated, bucketMs);
  }

  /** Aggregates grouped by one dimension over a range; writes queued rows first when it can. */
  async getBreakdown(query: UsageQuery, by: UsageBreakdownDimension): Promise<UsageBreakdown> {
    const validated = validateUsageQuery(query.projectId, query);
    await this.flushQuietly();
    return this.store.getBreakdown(validated, by);
  }

  /** The ledger rows themselves, oldest first. */
  async listRecords(query: UsageQuery = {}, options?: ListRecordsOptions): Promise<UsageRecord[]> {
    const validated = validateUsageQuery(query.projectId, query);
    await this.flushQuietly();
    return this.store.listRecords(validated, options);
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, this.batchSize);
      try {
        await this.store.insertBatch(batch);
      } catch (error) {
        this.recordFailure(error);
        throw UsageStorageError.isInstance(error)
          ? error
          : new UsageStorageError({
              message: `usage records could not be written: ${describeError(error)}`,
              backend: this.store.kind,
              cause: error,
            });
      }
      // Only this loop removes from the front and trackRequest only appends, so the batch is
      // still the head of the queue.
      this.queue.splice(0, batch.length);
      this.written += batch.length;
      this.recordSuccess();
      // Let requests run between batches: SQLite writes are synchronous underneath.
      if (this.queue.length > 0) await yieldToEventLoop();
    }
  }

  private flushInBackground(): void {
    this.flushScheduled = false;
    if (this.queue.length === 0 || this.flushing || this.now() < this.nextAttemptAt) return;
    this.flush().catch(() => {
      // Recorded in health and logged by recordFailure; the timer retries.
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.flushing || this.now() < this.nextAttemptAt) return;
    this.flushScheduled = true;
    setImmediate(() => this.flushInBackground());
  }

  private async flushQuietly(): Promise<void> {
    if (this.queue.length === 0) return;
    await this.flush().catch(() => undefined);
  }

  private recordSuccess(): void {
    if (this.consecutiveFailures > 0) {
      this.logger.info('Usage storage recovered', {
        backend: this.store.kind,
        failedAttempts: this.consecutiveFailures,
        queued: this.queue.length,
      });
    }
    this.consecutiveFailures = 0;
    this.nextAttemptAt = 0;
    this.lastFlushAt = this.now();
  }

  private recordFailure(error: unknown): void {
    this.consecutiveFailures++;
    this.lastError = describeError(error);
    this.lastErrorAt = this.now();
    const backoff = Math.min(
      this.maxRetryDelayMs,
      this.flushIntervalMs * 2 ** Math.min(this.consecutiveFailures - 1, 16),
    );
    this.nextAttemptAt = this.now() + backoff;
    // Log the first failure and then every tenth, so an outage does not flood the log.
    if (this.consecutiveFailures === 1 || this.consecutiveFailures % 10 === 0) {
      this.logger.error('Usage storage unavailable; rows stay queued and writes are retried', {
        backend: this.store.kind,
        location: this.store.location,
        error: this.lastError,
        failedAttempts: this.consecutiveFailures,
        queued: this.queue.length,
        retryInMs: backoff,
      });
    }
  }

  private drop(): void {
    this.dropped++;
    const now = this.now();
    this.lastDropAt = now;
    if (now - this.lastDropWarningAt >= warningIntervalMs) {
      this.lastDropWarningAt = now;
      this.logger.warn(
        this.closed
          ? 'Usage row dropped: the usage tracker is closed'
          : 'Usage row dropped: the usage queue is full (storage slow or down)',
        { dropped: this.dropped, maxQueueSize: this.maxQueueSize },
      );
    }
  }

  private reject(error: unknown): void {
    this.rejected++;
    const now = this.now();
    if (now - this.lastRejectWarningAt >= warningIntervalMs) {
      this.lastRejectWarningAt = now;
      this.logger.warn('Usage report could not be recorded', {
        error: describeError(error),
        rejected: this.rejected,
      });
    }
  }
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) {
    throw new ConfigError({
      issues: [
        { path: `usage.${name}`, message: `must be a positive integer (got ${String(value)}).` },
      ],
    });
  }
  return value;
}

function delay(milliseconds: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, milliseconds));
}

function yieldToEventLoop(): Promise<void> {
  return new Promise(resolve => setImmediate(resolve));
}
