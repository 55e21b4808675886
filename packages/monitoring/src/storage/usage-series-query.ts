/**
 * Time series and one-dimension breakdowns over the usage table, for dashboards: one aggregate
 * query each (grouped by time bucket or by one column), sharing the statistics' SQL and dialects.
 * @module
 */
import type { UsageQuery } from '../usage/usage-types.js';
import type {
  UsageBreakdown,
  UsageBreakdownDimension,
  UsageSeries,
} from '../usage/usage-series-types.js';
import {
  aggregateSQL,
  buildWhereClause,
  type Dimension,
  type RunQuery,
  toAggregate,
  type UsageSQLDialect,
} from './usage-stats-query.js';

/** Smallest bucket (1 s) and most buckets per series, so a query can never explode. */
const minimumBucketMs = 1000;
const maximumBuckets = 10_000;

const breakdownColumns: Record<UsageBreakdownDimension, string[]> = {
  model: ['provider', 'model'],
  provider: ['provider'],
  routeReason: ['route_reason'],
  project: ['project_id'],
  agent: ['agent_id'],
};

/** The dimensions {@link queryUsageBreakdown} groups by. */
export const usageBreakdownDimensions = Object.keys(
  breakdownColumns,
) as readonly UsageBreakdownDimension[];

/**
 * Aggregates per `bucketMs`-wide bucket (aligned to the epoch) in the query's range, oldest first,
 * and the totals of the whole range: two queries. Empty buckets are omitted (the caller knows the
 * range and fills gaps if it wants). Buckets carry latency percentiles but not time-to-first-byte
 * ones (`ttfbMs` p50/p95 are null there, its average is set): percentiles are the costly part.
 * @throws RangeError for a bucket under 1 s or a range needing more than 10,000 buckets.
 */
export async function queryUsageSeries(
  dialect: UsageSQLDialect,
  run: RunQuery,
  query: UsageQuery,
  bucketMs: number,
): Promise<UsageSeries> {
  if (!Number.isInteger(bucketMs) || bucketMs < minimumBucketMs) {
    throw new RangeError(`bucketMs must be a whole number of milliseconds >= ${minimumBucketMs}`);
  }
  if (query.since && query.until) {
    const buckets = (query.until.getTime() - query.since.getTime()) / bucketMs;
    if (buckets > maximumBuckets) {
      throw new RangeError(
        `the range needs ${Math.ceil(buckets)} buckets; at most ${maximumBuckets}`,
      );
    }
  }
  const { where, parameters } = buildWhereClause(dialect, query);
  const dimension: Dimension = {
    expressions: [dialect.bucketExpression(bucketMs)],
    columns: ['bucket'],
  };
  const rows = await run(
    `${aggregateSQL(dialect, dimension, where, ['latency'])} ORDER BY bucket`,
    parameters,
  );
  const [totals] = await run(
    aggregateSQL(dialect, { expressions: [], columns: [] }, where),
    parameters,
  );
  return {
    since: query.since ? query.since.toISOString() : null,
    until: query.until ? query.until.toISOString() : null,
    bucketMs,
    totals: toAggregate(totals ?? {}),
    points: rows.map(row => ({ start: Number(row.bucket), ...toAggregate(row) })),
  };
}

/** Aggregates grouped by one dimension, by cost then requests, descending (ties by key). */
export async function queryUsageBreakdown(
  dialect: UsageSQLDialect,
  run: RunQuery,
  query: UsageQuery,
  by: UsageBreakdownDimension,
): Promise<UsageBreakdown> {
  const columns = breakdownColumns[by];
  if (!columns) throw new RangeError(`unknown breakdown dimension "${String(by)}"`);
  const { where, parameters } = buildWhereClause(dialect, query);
  const rows = await run(
    aggregateSQL(dialect, { expressions: columns, columns }, where),
    parameters,
  );
  const entries = rows.map(row => {
    const values = columns.map(column => (row[column] == null ? null : String(row[column])));
    return {
      key: values.every(value => value === null) ? null : values.join(','),
      ...toAggregate(row),
    };
  });
  entries.sort(
    (left, right) =>
      right.costUsd - left.costUsd ||
      right.requests - left.requests ||
      String(left.key).localeCompare(String(right.key)),
  );
  return {
    since: query.since ? query.since.toISOString() : null,
    until: query.until ? query.until.toISOString() : null,
    by,
    entries,
  };
}
