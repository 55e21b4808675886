/**
 * Counter increments kept as plain numbers until a scrape reads them.
 * @module
 */
import type { Counter } from 'prom-client';

/** One label set of a {@link DeferredCounter}: what the request path increments. */
export interface DeferredCounterChild {
  inc(value?: number): void;
}

class PendingCount<Label extends string> implements DeferredCounterChild {
  value = 0;

  constructor(readonly labels: Partial<Record<Label, string>>) {}

  inc(value = 1): void {
    this.value += value;
  }
}

/**
 * The request path's side of a prom-client counter. prom-client's `inc` validates and hashes the
 * label set and looks it up in a string-keyed map on every call, even through a `labels()` child:
 * about a microsecond each, several times per request. Here a child is an object holding a number,
 * and the sums reach the counter in its `collect()`, which prom-client calls before every read
 * (`metrics()`, `getMetricsAsJSON()`, `get()`), so a scrape sees every increment made before it.
 *
 * @example
 * const requests = new DeferredCounter<'provider'>();
 * new Counter({ name: 'requests_total', help: '…', labelNames: ['provider'], collect() { requests.flushInto(this); } });
 * requests.labels({ provider: 'openai' }).inc();
 */
export class DeferredCounter<Label extends string> {
  private readonly children: Array<PendingCount<Label>> = [];

  /** A child for one label set; create it once and keep it (each call adds a child). */
  labels(labels: Partial<Record<Label, string>>): DeferredCounterChild {
    const child = new PendingCount<Label>(labels);
    this.children.push(child);
    return child;
  }

  /** Forgets the increments not yet added (the counter is being reset). */
  discard(): void {
    for (const child of this.children) child.value = 0;
  }

  /** Adds the increments made since the last flush to `counter` (label sets never incremented stay absent, as with `inc`). */
  flushInto(counter: Counter<Label>): void {
    for (const child of this.children) {
      if (child.value === 0) continue;
      const value = child.value;
      child.value = 0;
      counter.inc(child.labels, value);
    }
  }
}
