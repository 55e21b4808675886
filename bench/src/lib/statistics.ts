/** Summary statistics of a sample of durations (milliseconds) or other numbers. */
export interface Summary {
  count: number;
  median: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

function sortedCopy(values: readonly number[]): number[] {
  return [...values].sort((left, right) => left - right);
}

/** The median (mean of the two middle values for an even count); NaN for an empty sample. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = sortedCopy(values);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Nearest-rank percentile (`fraction` in [0, 1]); NaN for an empty sample. */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  if (!(fraction >= 0 && fraction <= 1)) {
    throw new RangeError(`percentile fraction must be between 0 and 1, got ${fraction}`);
  }
  const sorted = sortedCopy(values);
  const rank = Math.max(1, Math.ceil(fraction * sorted.length));
  return sorted[rank - 1] as number;
}

/** Count, median, p99, mean, min and max of `values`. */
export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) {
    return {
      count: 0,
      median: Number.NaN,
      p99: Number.NaN,
      mean: Number.NaN,
      min: Number.NaN,
      max: Number.NaN,
    };
  }
  const sorted = sortedCopy(values);
  let total = 0;
  for (const value of sorted) total += value;
  return {
    count: sorted.length,
    median: median(sorted),
    p99: percentile(sorted, 0.99),
    mean: total / sorted.length,
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
  };
}

/** `numerator / denominator`, or null when the ratio is meaningless (missing or zero denominator). */
export function ratio(numerator: number | null, denominator: number | null): number | null {
  if (numerator === null || denominator === null) return null;
  if (!Number.isFinite(numerator) || !Number.isFinite(denominator) || denominator === 0) {
    return null;
  }
  return numerator / denominator;
}
