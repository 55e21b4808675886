import { accessSync, chmodSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { isErrorOutcome } from '../usage/build-usage-record.js';
import type {
  UsageBreakdown,
  UsageBreakdownDimension,
  UsageSeries,
} from '../usage/usage-series-types.js';
import type { UsageQuery, UsageRecord, UsageStats } from '../usage/usage-types.js';
import { queryUsageBreakdown, queryUsageSeries } from './usage-series-query.js';
import { migrateSQLite } from './sqlite-migrations.js';
import { inspectSQLiteNativeBinary } from './sqlite-native-binary.js';
import {
  describeError,
  type ListRecordsOptions,
  resolvePaging,
  type UsageStore,
  UsageStorageError,
} from './usage-store.js';
import { buildWhereClause, queryUsageStats, type UsageSQLDialect } from './usage-stats-query.js';

/** Loads the better-sqlite3 constructor; injectable so a missing native module can be simulated. */
export type SQLiteDriverLoader = () => Promise<typeof BetterSqlite3>;

export interface SQLiteUsageStoreOptions {
  /** Database file path, or `:memory:`. Parent directories are created. */
  path: string;
  /** How long a write waits for another process's lock (default 5000 ms). */
  busyTimeoutMs?: number;
  loadDriver?: SQLiteDriverLoader;
}

/** Loads better-sqlite3 lazily, so a failed native build only disables usage tracking. */
export const loadBetterSqlite3: SQLiteDriverLoader = async () => {
  // CommonJS: Node's ESM loader and the bundlers' interop all put module.exports on `default`.
  const { default: Database } = await import('better-sqlite3');
  return Database;
};

interface SQLiteRow {
  id: string;
  ts: number;
  project_id: string | null;
  agent_id: string | null;
  session_id: string | null;
  api_key_id: string | null;
  provider: string;
  model: string;
  route_reason: string;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  usage_estimated: number;
  cost_usd: number | null;
  latency_ms: number;
  ttfb_ms: number | null;
  upstream_ms: number | null;
  status: number;
  error_type: string | null;
  is_error: number;
  streamed: number;
  client_api: string | null;
}

const percentilesFunction = 'conduit_percentiles';

/**
 * SQLite has no percentile aggregate: this one collects a group's values (numbers only, so memory
 * stays at 8 bytes a row) and returns the nearest-rank `[p50, p95]` as JSON, in one pass and
 * one sort per group instead of window functions.
 */
function registerPercentileAggregate(database: BetterSqlite3.Database): void {
  database.aggregate(percentilesFunction, {
    start: () => [] as number[],
    step: (values: number[], value: unknown) => {
      if (typeof value === 'number') values.push(value);
    },
    result: (values: number[]) => {
      if (values.length === 0) return null;
      values.sort((left, right) => left - right);
      const count = values.length;
      return JSON.stringify([
        values[Math.ceil(count / 2) - 1],
        values[Math.floor((95 * count + 99) / 100) - 1],
      ]);
    },
    deterministic: true,
  });
}

const dialect: UsageSQLDialect = {
  placeholder: () => '?',
  dayExpression: "strftime('%Y-%m-%d', ts / 1000, 'unixepoch')",
  toTimeParameter: date => date.getTime(),
  table: 'usage_records',
  // ts is integer epoch ms, so integer division floors it to the bucket.
  bucketExpression: bucketMs => `(ts / ${bucketMs}) * ${bucketMs}`,
  percentileColumns: (column, alias) => [
    `${percentilesFunction}(${column}) AS ${alias}_percentiles`,
  ],
};

/**
 * The embedded ledger: one SQLite file in WAL mode (readers never block the writer), prepared
 * statements, one transaction per batch. Synchronous underneath; batches are small enough that a
 * flush costs well under a millisecond of event-loop time.
 */
export class SQLiteUsageStore implements UsageStore {
  readonly kind = 'sqlite' as const;
  readonly location: string;
  private readonly options: SQLiteUsageStoreOptions;
  private database: BetterSqlite3.Database | undefined;
  private openTried = false;
  private nativeModuleLoaded = false;
  /** better-sqlite3's binary was found built for this Node (see `inspectSQLiteNativeBinary`). */
  private nativeBinaryMatches = false;
  private insertStatement: BetterSqlite3.Statement<InsertParameters> | undefined;
  /** One transaction over a batch; built once, since `database.transaction` wraps anew per call. */
  private insertRows: ((rows: readonly UsageRecord[]) => void) | undefined;
  /** One values array for every row: `run` binds its values before it returns. */
  private readonly insertValues: InsertParameters[0] = new Array(columns.length);
  private closed = false;

  constructor(options: SQLiteUsageStoreOptions) {
    if (options.path.trim() === '') {
      throw new UsageStorageError({
        message: 'SQLite usage store needs a file path',
        backend: 'sqlite',
      });
    }
    this.options = options;
    this.location = options.path;
  }

  async init(): Promise<void> {
    await this.open();
  }

  async insertBatch(records: readonly UsageRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.open();
    try {
      // A lone row is its own (implicit) transaction: BEGIN and COMMIT around it would only add
      // two statements. A gateway at low concurrency flushes one row per batch.
      if (records.length === 1) {
        this.insertStatement!.run(fillInsertValues(this.insertValues, records[0]!));
      } else {
        this.insertRows!(records);
      }
    } catch (error) {
      throw this.wrap('write usage records', error);
    }
  }

  async listRecords(query: UsageQuery = {}, options?: ListRecordsOptions): Promise<UsageRecord[]> {
    const database = await this.open();
    const { where, parameters } = buildWhereClause(dialect, query);
    const { limit, offset } = resolvePaging(options);
    try {
      const rows = database
        .prepare(`SELECT * FROM usage_records ${where} ORDER BY ts, id LIMIT ? OFFSET ?`)
        .all(...parameters, limit, offset) as SQLiteRow[];
      return rows.map(fromRow);
    } catch (error) {
      throw this.wrap('read usage records', error);
    }
  }

  async getStats(query: UsageQuery = {}): Promise<UsageStats> {
    const database = await this.open();
    try {
      return await queryUsageStats(
        dialect,
        async (sql, parameters) =>
          database.prepare(sql).all(...parameters) as Record<string, unknown>[],
        query,
      );
    } catch (error) {
      throw this.wrap('compute usage statistics', error);
    }
  }

  async getSeries(query: UsageQuery, bucketMs: number): Promise<UsageSeries> {
    const database = await this.open();
    try {
      return await queryUsageSeries(
        dialect,
        async (sql, parameters) =>
          database.prepare(sql).all(...parameters) as Record<string, unknown>[],
        query,
        bucketMs,
      );
    } catch (error) {
      if (error instanceof RangeError) throw error;
      throw this.wrap('compute a usage series', error);
    }
  }

  async getBreakdown(query: UsageQuery, by: UsageBreakdownDimension): Promise<UsageBreakdown> {
    const database = await this.open();
    try {
      return await queryUsageBreakdown(
        dialect,
        async (sql, parameters) =>
          database.prepare(sql).all(...parameters) as Record<string, unknown>[],
        query,
        by,
      );
    } catch (error) {
      if (error instanceof RangeError) throw error;
      throw this.wrap('compute a usage breakdown', error);
    }
  }

  async ping(): Promise<void> {
    const database = await this.open();
    try {
      database.prepare('SELECT 1 FROM usage_records LIMIT 1').get();
    } catch (error) {
      throw this.wrap('read the usage database', error);
    }
  }

  async checkBeforeOpen(): Promise<'opened' | 'not-opened'> {
    if (this.openTried || this.closed) return 'opened';
    // better-sqlite3's own binary, built for this Node, would load: the first record loads it.
    // Anything else (another Node's build, a custom driver or binary) is proven by loading it.
    if (
      !this.nativeModuleLoaded &&
      !this.nativeBinaryMatches &&
      this.options.loadDriver === undefined &&
      inspectSQLiteNativeBinary() === 'matches'
    ) {
      this.nativeBinaryMatches = true;
    }
    if (!this.nativeModuleLoaded && !this.nativeBinaryMatches) {
      const Database = await this.loadDriver();
      try {
        // better-sqlite3 loads its native module with the first database: an in-memory one proves
        // it was built for this Node, without touching the ledger's file. Once loaded it stays
        // loaded, so later health checks skip this.
        new Database(':memory:').close();
      } catch (error) {
        throw this.wrap('load the SQLite native module', error);
      }
      this.nativeModuleLoaded = true;
    }
    const { path } = this.options;
    if (path === ':memory:') return 'not-opened';
    try {
      const folder = dirname(path);
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      accessSync(folder, constants.R_OK | constants.W_OK);
      if (existsSync(path)) accessSync(path, constants.R_OK | constants.W_OK);
    } catch (error) {
      throw this.wrap(`open ${path}`, error);
    }
    return 'not-opened';
  }

  private async loadDriver(): Promise<typeof BetterSqlite3> {
    try {
      return await (this.options.loadDriver ?? loadBetterSqlite3)();
    } catch (error) {
      throw new UsageStorageError({
        message: `better-sqlite3 could not be loaded (native module missing or not built for this Node): ${describeError(error)}. Rebuild it with "pnpm rebuild better-sqlite3", or set usage.storage to a postgres:// URL.`,
        backend: 'sqlite',
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const database = this.database;
    this.database = undefined;
    this.insertStatement = undefined;
    this.insertRows = undefined;
    if (database?.open) database.close();
  }

  private async open(): Promise<BetterSqlite3.Database> {
    if (this.closed) {
      throw new UsageStorageError({ message: 'SQLite usage store is closed', backend: 'sqlite' });
    }
    if (this.database) return this.database;
    this.openTried = true;
    const Database = await this.loadDriver();
    // Another init may have finished while the driver was loading.
    if (this.database) return this.database;
    if (this.closed) {
      throw new UsageStorageError({ message: 'SQLite usage store is closed', backend: 'sqlite' });
    }
    let database: BetterSqlite3.Database | undefined;
    try {
      const onDisk = this.options.path !== ':memory:' && this.options.path !== '';
      if (onDisk) mkdirSync(dirname(this.options.path), { recursive: true, mode: 0o700 });
      database = new Database(this.options.path);
      // The ledger names projects, agents and models: private to the user (SQLite gives the -wal
      // and -shm files the database file's mode).
      if (onDisk) chmodSync(this.options.path, 0o600);
      database.pragma('journal_mode = WAL');
      database.pragma('synchronous = NORMAL');
      database.pragma(`busy_timeout = ${Math.trunc(this.options.busyTimeoutMs ?? 5000)}`);
      migrateSQLite(database);
      registerPercentileAggregate(database);
      // Positional parameters: better-sqlite3 binds an array by index, named ones by looking up
      // every key of a row object.
      const insert = database.prepare<InsertParameters>(
        `INSERT OR IGNORE INTO usage_records (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      );
      const values = this.insertValues;
      this.insertStatement = insert;
      this.insertRows = database.transaction((rows: readonly UsageRecord[]) => {
        for (const record of rows) insert.run(fillInsertValues(values, record));
      });
    } catch (error) {
      database?.close();
      throw this.wrap(`open ${this.options.path}`, error);
    }
    this.database = database;
    return database;
  }

  private wrap(action: string, error: unknown): UsageStorageError {
    if (UsageStorageError.isInstance(error)) return error;
    return new UsageStorageError({
      message: `SQLite usage store could not ${action}: ${describeError(error)}`,
      backend: 'sqlite',
      cause: error,
    });
  }
}

const columns: Array<keyof SQLiteRow> = [
  'id',
  'ts',
  'project_id',
  'agent_id',
  'session_id',
  'api_key_id',
  'provider',
  'model',
  'route_reason',
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'usage_estimated',
  'cost_usd',
  'latency_ms',
  'ttfb_ms',
  'upstream_ms',
  'status',
  'error_type',
  'is_error',
  'streamed',
  'client_api',
];

/** The insert's one parameter: a row's values in the order of {@link columns}. */
type InsertParameters = [values: Array<SQLiteRow[keyof SQLiteRow]>];

/** Writes a row's values into `values` in the order of {@link columns}, and returns it. */
function fillInsertValues(values: InsertParameters[0], record: UsageRecord): InsertParameters[0] {
  values[0] = record.id;
  values[1] = record.timestamp.getTime();
  values[2] = record.projectId;
  values[3] = record.agentId;
  values[4] = record.sessionId;
  values[5] = record.apiKeyId ?? null;
  values[6] = record.provider;
  values[7] = record.model;
  values[8] = record.routeReason;
  values[9] = record.inputTokens;
  values[10] = record.outputTokens;
  values[11] = record.cacheReadTokens;
  values[12] = record.cacheWriteTokens;
  values[13] = record.usageEstimated ? 1 : 0;
  values[14] = record.costUsd;
  values[15] = record.latencyMs;
  values[16] = record.ttfbMs;
  values[17] = record.upstreamMs;
  values[18] = record.status;
  values[19] = record.errorType;
  values[20] = isErrorOutcome(record.status, record.errorType) ? 1 : 0;
  values[21] = record.streamed ? 1 : 0;
  values[22] = record.clientApi ?? null;
  return values;
}

function fromRow(row: SQLiteRow): UsageRecord {
  return {
    id: row.id,
    timestamp: new Date(row.ts),
    projectId: row.project_id,
    agentId: row.agent_id,
    sessionId: row.session_id,
    ...(row.api_key_id ? { apiKeyId: row.api_key_id } : {}),
    provider: row.provider,
    model: row.model,
    routeReason: row.route_reason,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cacheReadTokens: row.cache_read_tokens,
    cacheWriteTokens: row.cache_write_tokens,
    usageEstimated: row.usage_estimated === 1,
    costUsd: row.cost_usd,
    latencyMs: row.latency_ms,
    ttfbMs: row.ttfb_ms,
    upstreamMs: row.upstream_ms,
    status: row.status,
    errorType: row.error_type,
    streamed: row.streamed === 1,
    clientApi: row.client_api ?? null,
  };
}
