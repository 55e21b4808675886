/** Dashboard shapes of the ledger: time series and one-dimension breakdowns. @module */
import type { UsageAggregate } from './usage-types.js';

/** What a breakdown groups by: `model` keys are `provider,model`. */
export type UsageBreakdownDimension = 'model' | 'provider' | 'routeReason' | 'project' | 'agent';

/** One bucket of a {@link UsageSeries}. */
export interface UsageSeriesPoint extends UsageAggregate {
  /** Bucket start, epoch ms (buckets are aligned to the epoch). */
  start: number;
}

/** Aggregates per time bucket (buckets without rows are omitted), and over the whole range. */
export interface UsageSeries {
  since: string | null;
  until: string | null;
  bucketMs: number;
  /** The whole range, with every percentile. */
  totals: UsageAggregate;
  /** Oldest first. */
  points: UsageSeriesPoint[];
}

/** One group of a {@link UsageBreakdown}; `key` is null for rows without a value (no project). */
export interface UsageBreakdownEntry extends UsageAggregate {
  key: string | null;
}

/** Aggregates grouped by one dimension, by cost then requests, descending. */
export interface UsageBreakdown {
  since: string | null;
  until: string | null;
  by: UsageBreakdownDimension;
  entries: UsageBreakdownEntry[];
}
