/**
 * Histogram observations kept as plain bucket counts until a scrape reads them.
 * @module
 */
import type { Histogram } from 'prom-client';

/** One label set of a {@link DeferredHistogram}: what the request path observes. */
export interface DeferredHistogramChild {
  observe(value: number): void;
}

/**
 * What prom-client 15 keeps per label set of a histogram (`Histogram.hashMap`, not typed): the
 * count of each bucket by upper bound (not cumulative; `+Inf` is `count`), the sum and the count.
 */
interface HistogramEntry {
  labels: Record<string, string>;
  bucketValues: Record<number, number>;
  sum: number;
  count: number;
}
interface HistogramInternals {
  hashMap: Record<string, HistogramEntry>;
}

class PendingObservations<Label extends string> implements DeferredHistogramChild {
  /** Observations per bucket since the last flush; the last one counts values above every bound. */
  readonly counts: number[];
  sum = 0;
  count = 0;
  /** The histogram's entry for these labels, and the map it was found in (a reset replaces it). */
  entry: HistogramEntry | undefined;
  entryMap: Record<string, HistogramEntry> | undefined;

  constructor(
    readonly labels: Record<Label, string>,
    private readonly upperBounds: readonly number[],
  ) {
    this.counts = new Array<number>(upperBounds.length + 1).fill(0);
  }

  observe(value: number): void {
    // As prom-client's `observe` does: a non-number would poison the sum.
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
    const upperBounds = this.upperBounds;
    let bucket = 0;
    while (bucket < upperBounds.length && value > upperBounds[bucket]!) bucket++;
    this.counts[bucket]!++;
    this.sum += value;
    this.count++;
  }

  discard(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }
}

/**
 * The request path's side of a prom-client histogram, as `DeferredCounter` is for counters:
 * prom-client's `observe` validates and hashes the label set and looks it up on every call, even
 * through a `labels()` child, several times per request. Here a child adds to an array of bucket
 * counts, and the counts reach the histogram in its `collect()`, which prom-client calls before
 * every read (`metrics()`, `getMetricsAsJSON()`, `get()`), so a scrape sees every observation
 * made before it. The flush adds to prom-client's own per-label-set entry (created with `zero`):
 * the exposition, `reset()` and the registry work on the histogram exactly as before.
 *
 * @example
 * const durations = new DeferredHistogram<'provider'>(buckets);
 * new Histogram({ name: 'duration_seconds', help: '…', buckets, labelNames: ['provider'], collect() { durations.flushInto(this); } });
 * durations.labels({ provider: 'openai' }).observe(0.2);
 */
export class DeferredHistogram<Label extends string> {
  private readonly children: Array<PendingObservations<Label>> = [];

  /** `upperBounds`: the histogram's buckets, ascending (the ones given to prom-client). */
  constructor(private readonly upperBounds: readonly number[]) {}

  /** A child for one label set (every label named); create it once and keep it. */
  labels(labels: Record<Label, string>): DeferredHistogramChild {
    const child = new PendingObservations<Label>(labels, this.upperBounds);
    this.children.push(child);
    return child;
  }

  /** Forgets the observations not yet added (the histogram is being reset). */
  discard(): void {
    for (const child of this.children) child.discard();
  }

  /** Adds the observations made since the last flush to `histogram` (label sets never observed stay absent). */
  flushInto(histogram: Histogram<Label>): void {
    for (const child of this.children) {
      if (child.count === 0) continue;
      const entry = entryFor(histogram, child);
      const counts = child.counts;
      for (let bucket = 0; bucket < this.upperBounds.length; bucket++) {
        entry.bucketValues[this.upperBounds[bucket]!]! += counts[bucket]!;
      }
      entry.sum += child.sum;
      entry.count += child.count;
      child.discard();
    }
  }
}

/** prom-client's entry for the child's label set, created (all zero) when absent. */
function entryFor<Label extends string>(
  histogram: Histogram<Label>,
  child: PendingObservations<Label>,
): HistogramEntry {
  // prom-client types no `hashMap`; the flush needs its entries (see HistogramEntry).
  const internals = histogram as unknown as HistogramInternals;
  if (child.entry !== undefined && child.entryMap === internals.hashMap) {
    if (Object.values(internals.hashMap).includes(child.entry)) return child.entry;
  }
  let entry = findEntry(internals.hashMap, child.labels);
  if (entry === undefined) {
    histogram.zero(child.labels);
    entry = findEntry(internals.hashMap, child.labels);
  }
  if (entry === undefined)
    throw new Error('prom-client histogram has no entry for a label set after zero()');
  child.entry = entry;
  child.entryMap = internals.hashMap;
  return entry;
}

function findEntry(
  hashMap: Record<string, HistogramEntry>,
  labels: Record<string, string>,
): HistogramEntry | undefined {
  const names = Object.keys(labels);
  for (const entry of Object.values(hashMap)) {
    const entryLabels = entry.labels;
    if (
      Object.keys(entryLabels).length === names.length &&
      names.every(name => String(entryLabels[name]) === labels[name])
    ) {
      return entry;
    }
  }
  return undefined;
}
