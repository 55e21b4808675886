import { type Logger, silentLogger } from '@conduit/core';
import type { Pool, PoolConfig } from 'pg';
import { isErrorOutcome } from '../usage/build-usage-record.js';
import type {
  UsageBreakdown,
  UsageBreakdownDimension,
  UsageSeries,
} from '../usage/usage-series-types.js';
import type { UsageQuery, UsageRecord, UsageStats } from '../usage/usage-types.js';
import { queryUsageBreakdown, queryUsageSeries } from './usage-series-query.js';
import { migratePostgres, quoteIdentifier } from './postgres-migrations.js';
import {
  describeError,
  type ListRecordsOptions,
  resolvePaging,
  type UsageStore,
  UsageStorageError,
} from './usage-store.js';
import { buildWhereClause, queryUsageStats, type UsageSQLDialect } from './usage-stats-query.js';

export interface PostgresUsageStoreOptions {
  /** `postgres://user:password@host:port/database`; a `schema` query parameter picks the schema. */
  connectionString: string;
  /** Schema holding the tables (default: the URL's `schema` parameter, else `public`). */
  schema?: string;
  /** Pool size (default 4). Writes are batched, so a few connections serve many requests. */
  maxConnections?: number;
  /** Give up connecting after this long (default 5000 ms); the tracker retries later. */
  connectionTimeoutMs?: number;
  /** Extra `pg` pool settings (SSL, …). */
  poolConfig?: Omit<PoolConfig, 'connectionString'>;
  logger?: Logger;
}

interface PostgresRow {
  id: string;
  ts: Date;
  project_id: string | null;
  agent_id: string | null;
  session_id: string | null;
  api_key_id: string | null;
  provider: string;
  model: string;
  route_reason: string;
  input_tokens: string | number;
  output_tokens: string | number;
  cache_read_tokens: string | number;
  cache_write_tokens: string | number;
  usage_estimated: boolean;
  cost_usd: number | null;
  latency_ms: number;
  ttfb_ms: number | null;
  upstream_ms: number | null;
  status: number;
  error_type: string | null;
  streamed: boolean;
  client_api: string | null;
}

/** Columns and their array types, in insert order (`unnest` takes one array per column). */
const columnTypes: Array<[string, string]> = [
  ['id', 'text'],
  ['ts', 'timestamptz'],
  ['project_id', 'text'],
  ['agent_id', 'text'],
  ['session_id', 'text'],
  ['api_key_id', 'text'],
  ['provider', 'text'],
  ['model', 'text'],
  ['route_reason', 'text'],
  ['input_tokens', 'bigint'],
  ['output_tokens', 'bigint'],
  ['cache_read_tokens', 'bigint'],
  ['cache_write_tokens', 'bigint'],
  ['usage_estimated', 'boolean'],
  ['cost_usd', 'float8'],
  ['latency_ms', 'float8'],
  ['ttfb_ms', 'float8'],
  ['upstream_ms', 'float8'],
  ['status', 'int4'],
  ['error_type', 'text'],
  ['is_error', 'boolean'],
  ['streamed', 'boolean'],
  ['client_api', 'text'],
];

function toColumnValues(record: UsageRecord): unknown[] {
  return [
    record.id,
    record.timestamp,
    record.projectId,
    record.agentId,
    record.sessionId,
    record.apiKeyId ?? null,
    record.provider,
    record.model,
    record.routeReason,
    record.inputTokens,
    record.outputTokens,
    record.cacheReadTokens,
    record.cacheWriteTokens,
    record.usageEstimated,
    record.costUsd,
    record.latencyMs,
    record.ttfbMs,
    record.upstreamMs,
    record.status,
    record.errorType,
    isErrorOutcome(record.status, record.errorType),
    record.streamed,
    record.clientApi ?? null,
  ];
}

/**
 * A shared ledger in PostgreSQL, for several Conduit instances. Batches are written with one
 * `INSERT … SELECT FROM unnest(…)` (one parameter per column whatever the batch size) and
 * `ON CONFLICT DO NOTHING`, so a batch retried after a lost acknowledgement never duplicates rows.
 * The pool lets the process exit when idle.
 */
export class PostgresUsageStore implements UsageStore {
  readonly kind = 'postgres' as const;
  readonly location: string;
  readonly schema: string;
  private readonly options: PostgresUsageStoreOptions;
  private readonly logger: Logger;
  private readonly connectionString: string;
  private readonly dialect: UsageSQLDialect;
  private readonly insertSQL: string;
  private pool: Pool | undefined;
  private initialization: Promise<void> | undefined;
  private initialized = false;
  private closed = false;

  constructor(options: PostgresUsageStoreOptions) {
    const { connectionString, schema, location } = parseConnectionString(options.connectionString);
    this.options = options;
    this.logger = options.logger ?? silentLogger;
    this.connectionString = connectionString;
    this.location = location;
    this.schema = options.schema ?? schema ?? 'public';
    let table: string;
    try {
      table = `${quoteIdentifier(this.schema)}.usage_records`;
    } catch (error) {
      throw new UsageStorageError({ message: describeError(error), backend: 'postgres' });
    }
    this.dialect = {
      placeholder: index => `$${index}`,
      dayExpression: "to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
      toTimeParameter: date => date,
      table,
      bucketExpression: bucketMs =>
        `(floor(extract(epoch from ts) * 1000 / ${bucketMs}) * ${bucketMs})::bigint`,
      // Ordered-set aggregates ignore nulls; percentile_disc is nearest-rank.
      percentileColumns: (column, alias) => [
        `percentile_disc(0.5) WITHIN GROUP (ORDER BY ${column}) AS ${alias}_p50`,
        `percentile_disc(0.95) WITHIN GROUP (ORDER BY ${column}) AS ${alias}_p95`,
      ],
    };
    const unnestArguments = columnTypes.map(([, type], index) => `$${index + 1}::${type}[]`);
    this.insertSQL = `INSERT INTO ${table} (${columnTypes.map(([column]) => column).join(', ')}) SELECT * FROM unnest(${unnestArguments.join(', ')}) ON CONFLICT (id) DO NOTHING`;
  }

  init(): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError());
    if (this.initialized) return Promise.resolve();
    this.initialization ??= this.initialize().then(
      () => {
        this.initialized = true;
      },
      (error: unknown) => {
        // Forget the failure so the next call tries again (the database may be back).
        this.initialization = undefined;
        throw this.wrap('connect and migrate', error);
      },
    );
    return this.initialization;
  }

  async insertBatch(records: readonly UsageRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.init();
    const columns: unknown[][] = columnTypes.map(() => []);
    for (const record of records) {
      const values = toColumnValues(record);
      for (let index = 0; index < values.length; index++) columns[index]!.push(values[index]);
    }
    try {
      await this.getPool().query(this.insertSQL, columns);
    } catch (error) {
      throw this.wrap('write usage records', error);
    }
  }

  async listRecords(query: UsageQuery = {}, options?: ListRecordsOptions): Promise<UsageRecord[]> {
    await this.init();
    const { where, parameters } = buildWhereClause(this.dialect, query);
    const { limit, offset } = resolvePaging(options);
    const sql = `SELECT * FROM ${this.dialect.table} ${where} ORDER BY ts, id LIMIT $${parameters.length + 1} OFFSET $${parameters.length + 2}`;
    try {
      const result = await this.getPool().query<PostgresRow>(sql, [...parameters, limit, offset]);
      return result.rows.map(fromRow);
    } catch (error) {
      throw this.wrap('read usage records', error);
    }
  }

  async getStats(query: UsageQuery = {}): Promise<UsageStats> {
    await this.init();
    const pool = this.getPool();
    try {
      return await queryUsageStats(
        this.dialect,
        async (sql, parameters) => (await pool.query(sql, parameters)).rows,
        query,
      );
    } catch (error) {
      throw this.wrap('compute usage statistics', error);
    }
  }

  async getSeries(query: UsageQuery, bucketMs: number): Promise<UsageSeries> {
    await this.init();
    const pool = this.getPool();
    try {
      return await queryUsageSeries(
        this.dialect,
        async (sql, parameters) => (await pool.query(sql, parameters)).rows,
        query,
        bucketMs,
      );
    } catch (error) {
      if (error instanceof RangeError) throw error;
      throw this.wrap('compute a usage series', error);
    }
  }

  async getBreakdown(query: UsageQuery, by: UsageBreakdownDimension): Promise<UsageBreakdown> {
    await this.init();
    const pool = this.getPool();
    try {
      return await queryUsageBreakdown(
        this.dialect,
        async (sql, parameters) => (await pool.query(sql, parameters)).rows,
        query,
        by,
      );
    } catch (error) {
      if (error instanceof RangeError) throw error;
      throw this.wrap('compute a usage breakdown', error);
    }
  }

  async ping(): Promise<void> {
    await this.init();
    try {
      await this.getPool().query(`SELECT 1 FROM ${this.dialect.table} LIMIT 1`);
    } catch (error) {
      throw this.wrap('reach the database', error);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.initialization?.catch(() => undefined);
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }

  private async initialize(): Promise<void> {
    const pool = await this.createPool();
    const client = await pool.connect();
    try {
      const applied = await migratePostgres(client, this.schema);
      if (applied.length > 0) {
        this.logger.info('Usage ledger schema migrated', {
          backend: 'postgres',
          schema: this.schema,
          versions: applied,
        });
      }
    } finally {
      client.release();
    }
  }

  private async createPool(): Promise<Pool> {
    if (this.pool) return this.pool;
    // pg is CommonJS: its `default` export (module.exports) is there under every loader.
    const { Pool: PoolConstructor } = (await import('pg')).default;
    if (this.pool) return this.pool;
    const pool = new PoolConstructor({
      ...this.options.poolConfig,
      connectionString: this.connectionString,
      max: this.options.maxConnections ?? 4,
      connectionTimeoutMillis: this.options.connectionTimeoutMs ?? 5000,
      idleTimeoutMillis: 10000,
      // Never keep the process alive just for idle ledger connections.
      allowExitOnIdle: true,
    });
    // An idle client losing its connection emits 'error' on the pool; unhandled it would crash.
    pool.on('error', error => {
      this.logger.warn('Usage ledger connection lost', {
        backend: 'postgres',
        location: this.location,
        error: error.message,
      });
    });
    this.pool = pool;
    return pool;
  }

  private getPool(): Pool {
    if (this.closed || !this.pool) throw this.closedError();
    return this.pool;
  }

  private closedError(): UsageStorageError {
    return new UsageStorageError({
      message: 'PostgreSQL usage store is closed',
      backend: 'postgres',
    });
  }

  private wrap(action: string, error: unknown): UsageStorageError {
    if (UsageStorageError.isInstance(error)) return error;
    return new UsageStorageError({
      message: `PostgreSQL usage store (${this.location}) could not ${action}: ${describeError(error)}`,
      backend: 'postgres',
      cause: error,
    });
  }
}

/** Splits Conduit's `schema` parameter off the URL and builds a password-free location. */
function parseConnectionString(value: string): {
  connectionString: string;
  schema: string | undefined;
  location: string;
} {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageStorageError({
      message: 'usage.storage is not a valid postgres:// URL',
      backend: 'postgres',
    });
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new UsageStorageError({
      message: `usage.storage must start with postgres:// or postgresql:// (got ${url.protocol}//)`,
      backend: 'postgres',
    });
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  const connectionString = url.toString();
  const redacted = new URL(connectionString);
  if (redacted.password) redacted.password = '***';
  return { connectionString, schema, location: redacted.toString() };
}

function fromRow(row: PostgresRow): UsageRecord {
  return {
    id: row.id,
    timestamp: row.ts,
    projectId: row.project_id,
    agentId: row.agent_id,
    sessionId: row.session_id,
    ...(row.api_key_id ? { apiKeyId: row.api_key_id } : {}),
    provider: row.provider,
    model: row.model,
    routeReason: row.route_reason,
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    cacheReadTokens: Number(row.cache_read_tokens),
    cacheWriteTokens: Number(row.cache_write_tokens),
    usageEstimated: row.usage_estimated,
    costUsd: row.cost_usd,
    latencyMs: row.latency_ms,
    ttfbMs: row.ttfb_ms,
    upstreamMs: row.upstream_ms,
    status: row.status,
    errorType: row.error_type,
    streamed: row.streamed,
    clientApi: row.client_api ?? null,
  };
}
