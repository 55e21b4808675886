import { ConduitError } from '@conduit/core';
import type {
  UsageBreakdown,
  UsageBreakdownDimension,
  UsageSeries,
} from '../usage/usage-series-types.js';
import type { UsageQuery, UsageRecord, UsageStats } from '../usage/usage-types.js';

/** The storage backends of the usage ledger. */
export type UsageStoreKind = 'sqlite' | 'postgres';

/** Paging for {@link UsageStore.listRecords}. */
export interface ListRecordsOptions {
  /** At most this many rows (default 100, max 10000). */
  limit?: number;
  offset?: number;
}

/**
 * Where usage rows live. Implementations migrate their schema on first use (`init`, idempotent and
 * retried after a failure), write batches atomically and idempotently (a row whose id already
 * exists is skipped, so a retried batch never duplicates), and compute statistics in SQL.
 */
export interface UsageStore {
  readonly kind: UsageStoreKind;
  /** Where the data lives, safe to log (no password). */
  readonly location: string;
  /** Connects and migrates; safe to call repeatedly and concurrently. */
  init(): Promise<void>;
  /** Writes rows in one transaction; rows whose id exists already are ignored. */
  insertBatch(records: readonly UsageRecord[]): Promise<void>;
  /** Rows in the range, oldest first (ties by id). */
  listRecords(query?: UsageQuery, options?: ListRecordsOptions): Promise<UsageRecord[]>;
  /** Aggregates over the rows in the range. */
  getStats(query?: UsageQuery): Promise<UsageStats>;
  /** Aggregates per `bucketMs` bucket (dashboards' charts). */
  getSeries(query: UsageQuery, bucketMs: number): Promise<UsageSeries>;
  /** Aggregates grouped by one dimension (dashboards' breakdowns). */
  getBreakdown(query: UsageQuery, by: UsageBreakdownDimension): Promise<UsageBreakdown>;
  /** A cheap round trip proving the storage is reachable and migrated. */
  ping(): Promise<void>;
  /**
   * Optional, for a store that opens on first use: checks what it can without opening (SQLite:
   * that the driver and its native module load and the file's folder can be created and written) and answers
   * `'not-opened'`, or answers `'opened'` once an open was tried (then `ping` is the check).
   * Health checks use it so that an idle gateway does not open the database (SQLite's file,
   * WAL and migrations: about 4 MB resident) before the first request needs the ledger.
   * @throws UsageStorageError when the storage cannot be opened.
   */
  checkBeforeOpen?(): Promise<'opened' | 'not-opened'>;
  /** Releases connections. Further calls fail. */
  close(): Promise<void>;
}

const name = 'UsageStorageError';
const marker = `conduit.error.${name}`;
const symbol = Symbol.for(marker);

/** The usage ledger's storage could not be opened, migrated, written or read. */
export class UsageStorageError extends ConduitError {
  private readonly [symbol] = true;
  readonly backend: UsageStoreKind | 'unknown';

  constructor({
    message,
    backend,
    cause,
  }: { message: string; backend: UsageStoreKind | 'unknown'; cause?: unknown }) {
    super({ name, message, cause, httpStatus: 500 });
    this.backend = backend;
  }

  static override isInstance(error: unknown): error is UsageStorageError {
    return ConduitError.hasMarker(error, marker);
  }
}

/** Clamps paging options to sane bounds. */
export function resolvePaging(options: ListRecordsOptions = {}): { limit: number; offset: number } {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? 100), 0), 10000);
  const offset = Math.max(Math.trunc(options.offset ?? 0), 0);
  return { limit, offset };
}

/** The message of any thrown value, for error wrapping. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
