/**
 * Statistics over the usage table in SQL shared by SQLite and PostgreSQL; placeholders, the day
 * expression, time parameters and the percentile aggregate differ per dialect. Percentiles are
 * nearest-rank (`percentile_disc`): the value at rank ceil(p * n).
 * @module
 */
import type {
  LatencySummary,
  UsageAggregate,
  UsageQuery,
  UsageStats,
} from '../usage/usage-types.js';

/** What differs between the two SQL dialects. */
export interface UsageSQLDialect {
  /** Placeholder for the 1-based parameter `index` (`?` or `$1`). */
  placeholder(index: number): string;
  /** SQL giving the UTC day of the `ts` column as `YYYY-MM-DD`. */
  dayExpression: string;
  /** A `Date` as the driver expects it for the `ts` column. */
  toTimeParameter(date: Date): unknown;
  /** The (quoted, qualified) table name. */
  table: string;
  /**
   * Select-list entries computing the nearest-rank p50 and p95 of `column` (nulls ignored) as
   * `<alias>_p50` and `<alias>_p95`, or as `<alias>_percentiles` holding the JSON `[p50, p95]`.
   */
  percentileColumns(column: string, alias: string): string[];
}

/** Runs one query, returning plain rows. */
export type RunQuery = (sql: string, parameters: unknown[]) => Promise<Record<string, unknown>[]>;

interface Dimension {
  /** SQL expressions grouped by. */
  expressions: string[];
  /** Output column names, aligned with `expressions`. */
  columns: string[];
}

type DimensionName = 'totals' | 'byModel' | 'byProvider' | 'byAgent' | 'byProject' | 'byDay';

function dimensions(dialect: UsageSQLDialect): Record<DimensionName, Dimension> {
  return {
    totals: { expressions: [], columns: [] },
    byModel: { expressions: ['provider', 'model'], columns: ['provider', 'model'] },
    byProvider: { expressions: ['provider'], columns: ['provider'] },
    byAgent: { expressions: ['agent_id'], columns: ['agent_id'] },
    byProject: { expressions: ['project_id'], columns: ['project_id'] },
    byDay: { expressions: [dialect.dayExpression], columns: ['day'] },
  };
}

/** `WHERE` clause and parameters for a query's range and project. */
export function buildWhereClause(
  dialect: UsageSQLDialect,
  query: UsageQuery,
): { where: string; parameters: unknown[] } {
  const conditions: string[] = [];
  const parameters: unknown[] = [];
  if (query.since) {
    parameters.push(dialect.toTimeParameter(query.since));
    conditions.push(`ts >= ${dialect.placeholder(parameters.length)}`);
  }
  if (query.until) {
    parameters.push(dialect.toTimeParameter(query.until));
    conditions.push(`ts < ${dialect.placeholder(parameters.length)}`);
  }
  if (query.projectId !== undefined) {
    parameters.push(query.projectId);
    conditions.push(`project_id = ${dialect.placeholder(parameters.length)}`);
  }
  if (query.agentId !== undefined) {
    parameters.push(query.agentId);
    conditions.push(`agent_id = ${dialect.placeholder(parameters.length)}`);
  }
  if (query.sessionId !== undefined) {
    parameters.push(query.sessionId);
    conditions.push(`session_id = ${dialect.placeholder(parameters.length)}`);
  }
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', parameters };
}

function aggregateSQL(dialect: UsageSQLDialect, dimension: Dimension, where: string): string {
  const keys = dimension.expressions.map(
    (expression, index) => `${expression} AS ${dimension.columns[index]}`,
  );
  const groupBy =
    dimension.expressions.length > 0 ? `GROUP BY ${dimension.expressions.join(', ')}` : '';
  return `SELECT ${[
    ...keys,
    'COUNT(*) AS requests',
    'SUM(CASE WHEN is_error THEN 1 ELSE 0 END) AS errors',
    'SUM(input_tokens) AS input_tokens',
    'SUM(output_tokens) AS output_tokens',
    'SUM(cache_read_tokens) AS cache_read_tokens',
    'SUM(cache_write_tokens) AS cache_write_tokens',
    'SUM(CASE WHEN usage_estimated THEN 1 ELSE 0 END) AS estimated_requests',
    'SUM(cost_usd) AS cost_usd',
    'SUM(CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END) AS unpriced_requests',
    'AVG(latency_ms) AS latency_average',
    'AVG(ttfb_ms) AS ttfb_average',
    ...dialect.percentileColumns('latency_ms', 'latency'),
    ...dialect.percentileColumns('ttfb_ms', 'ttfb'),
  ].join(', ')} FROM ${dialect.table} ${where} ${groupBy}`;
}

/** Computes {@link UsageStats} with one aggregate query per dimension (no window functions). */
export async function queryUsageStats(
  dialect: UsageSQLDialect,
  run: RunQuery,
  query: UsageQuery,
): Promise<UsageStats> {
  const { where, parameters } = buildWhereClause(dialect, query);
  const all = dimensions(dialect);
  const computed = {} as Record<DimensionName, GroupRow[]>;
  for (const [dimensionName, dimension] of Object.entries(all) as Array<
    [DimensionName, Dimension]
  >) {
    const aggregates = await run(aggregateSQL(dialect, dimension, where), parameters);
    computed[dimensionName] = aggregates.map(row => ({
      keys: keyFields(row, dimension),
      aggregate: toAggregate(row),
    }));
  }
  const byCost = (left: GroupRow, right: GroupRow) =>
    right.aggregate.costUsd - left.aggregate.costUsd ||
    right.aggregate.requests - left.aggregate.requests;
  const byDay = () => 0;
  return {
    projectId: query.projectId ?? null,
    since: query.since ? query.since.toISOString() : null,
    until: query.until ? query.until.toISOString() : null,
    totals: computed.totals[0]?.aggregate ?? toAggregate({}),
    byModel: sortBy(computed.byModel, byCost).map(({ keys, aggregate }) => ({
      provider: keys.provider ?? '',
      model: keys.model ?? '',
      ...aggregate,
    })),
    byProvider: sortBy(computed.byProvider, byCost).map(({ keys, aggregate }) => ({
      provider: keys.provider ?? '',
      ...aggregate,
    })),
    byAgent: sortBy(computed.byAgent, byCost).map(({ keys, aggregate }) => ({
      agentId: keys.agentId ?? null,
      ...aggregate,
    })),
    byProject: sortBy(computed.byProject, byCost).map(({ keys, aggregate }) => ({
      projectId: keys.projectId ?? null,
      ...aggregate,
    })),
    byDay: sortBy(computed.byDay, byDay).map(({ keys, aggregate }) => ({
      day: keys.day ?? '',
      ...aggregate,
    })),
  };
}

interface GroupRow {
  keys: Record<string, string | null>;
  aggregate: UsageAggregate;
}

/** Sorts by `primary`, then by the group's key values so both backends agree on ties. */
function sortBy(
  rows: GroupRow[],
  primary: (left: GroupRow, right: GroupRow) => number,
): GroupRow[] {
  const key = (row: GroupRow) => JSON.stringify(Object.values(row.keys));
  return [...rows].sort(
    (left, right) =>
      primary(left, right) || (key(left) < key(right) ? -1 : key(left) > key(right) ? 1 : 0),
  );
}

const outputNames: Record<string, string> = {
  provider: 'provider',
  model: 'model',
  agent_id: 'agentId',
  project_id: 'projectId',
  day: 'day',
};

function keyFields(
  row: Record<string, unknown>,
  dimension: Dimension,
): Record<string, string | null> {
  const fields: Record<string, string | null> = {};
  for (const column of dimension.columns) {
    const value = row[column];
    fields[outputNames[column] ?? column] =
      value === undefined || value === null ? null : String(value);
  }
  return fields;
}

function toAggregate(row: Record<string, unknown>): UsageAggregate {
  const requests = toNumber(row.requests);
  const errors = toNumber(row.errors);
  return {
    requests,
    errors,
    errorRate: requests === 0 ? 0 : errors / requests,
    inputTokens: toNumber(row.input_tokens),
    outputTokens: toNumber(row.output_tokens),
    cacheReadTokens: toNumber(row.cache_read_tokens),
    cacheWriteTokens: toNumber(row.cache_write_tokens),
    estimatedRequests: toNumber(row.estimated_requests),
    costUsd: toNumber(row.cost_usd),
    unpricedRequests: toNumber(row.unpriced_requests),
    latencyMs: summary(row, 'latency'),
    ttfbMs: summary(row, 'ttfb'),
  };
}

function summary(row: Record<string, unknown>, alias: string): LatencySummary {
  let p50 = row[`${alias}_p50`];
  let p95 = row[`${alias}_p95`];
  const packed = row[`${alias}_percentiles`];
  if (typeof packed === 'string') [p50, p95] = JSON.parse(packed) as [unknown, unknown];
  return {
    p50: toNullableNumber(p50),
    p95: toNullableNumber(p95),
    average: toNullableNumber(row[`${alias}_average`]),
  };
}

/** Drivers return sums as numbers, bigint strings or numeric strings; this makes them numbers. */
function toNumber(value: unknown): number {
  return toNullableNumber(value) ?? 0;
}

function toNullableNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(number) ? number : null;
}
