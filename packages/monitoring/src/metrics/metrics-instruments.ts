/**
 * The prom-client side of `MetricsCollector`, created on first use (see metrics-collector.ts).
 * @module
 */
import type { Counter, Gauge, Registry } from 'prom-client';
import type { UsageTracker } from '../usage/usage-tracker.js';
import { DeferredCounter } from './deferred-counter.js';
import { DeferredHistogram } from './deferred-histogram.js';

export type PromClient = typeof import('prom-client');

/**
 * The prom-client objects of one collector, created together on first use. The counters and
 * histograms every request updates are {@link DeferredCounter}s and {@link DeferredHistogram}s,
 * added to their prom-client metric at scrape time.
 */
export interface Instruments {
  registry: Registry;
  requests: DeferredCounter<'provider' | 'model' | 'route' | 'status'>;
  duration: DeferredHistogram<'provider' | 'model' | 'streamed'>;
  timeToFirstByte: DeferredHistogram<'provider' | 'model'>;
  overhead: DeferredHistogram<'provider'>;
  tokens: DeferredCounter<'provider' | 'model' | 'type'>;
  tokenSpeed: DeferredHistogram<'provider' | 'model'>;
  cost: DeferredCounter<'provider' | 'model'>;
  unpriced: DeferredCounter<'provider' | 'model'>;
  upstreamErrors: Counter<'provider' | 'type'>;
  circuitState: Gauge<'provider' | 'model'>;
}

/** LLM calls run from milliseconds to many minutes. */
const durationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600];
const firstByteBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120];
/** Conduit's own work per request should be milliseconds. */
const overheadBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
/** Output speeds from a slow local model to the fastest hosted ones. */
const tokenSpeedBuckets = [1, 2, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000];

/** Conduit's metrics on `registry`. */
export function createInstruments(
  promClient: PromClient,
  registry: Registry,
  prefix: string,
): Instruments {
  const { Counter, Gauge, Histogram } = promClient;
  const registers = [registry];
  // Registered in the order of the exposition (requests, durations, tokens, cost, errors, circuits).
  const deferredCounter = <Label extends string>(
    name: string,
    help: string,
    labelNames: Label[],
  ): DeferredCounter<Label> => {
    const counts = new DeferredCounter<Label>();
    const counter = new Counter({
      name: `${prefix}${name}`,
      help,
      labelNames,
      registers,
      collect() {
        counts.flushInto(this);
      },
    });
    // `registry.resetMetrics()` also forgets the increments not summed in yet, as it did before.
    const resetCounter = counter.reset.bind(counter);
    counter.reset = () => {
      counts.discard();
      resetCounter();
    };
    return counts;
  };
  const deferredHistogram = <Label extends string>(
    name: string,
    help: string,
    labelNames: Label[],
    buckets: number[],
  ): DeferredHistogram<Label> => {
    const observations = new DeferredHistogram<Label>(buckets);
    const histogram = new Histogram({
      name: `${prefix}${name}`,
      help,
      labelNames,
      buckets,
      registers,
      collect() {
        observations.flushInto(this);
      },
    });
    // As for the counters: a reset also forgets the observations not added yet.
    const resetHistogram = histogram.reset.bind(histogram);
    histogram.reset = () => {
      observations.discard();
      resetHistogram();
    };
    return observations;
  };
  return {
    registry,
    requests: deferredCounter(
      'requests_total',
      'Requests served, by provider, model, route reason and HTTP status.',
      ['provider', 'model', 'route', 'status'],
    ),
    duration: deferredHistogram(
      'request_duration_seconds',
      'Total request duration, from arrival to the last byte sent.',
      ['provider', 'model', 'streamed'],
      durationBuckets,
    ),
    timeToFirstByte: deferredHistogram(
      'time_to_first_byte_seconds',
      'Time from arrival to the first byte sent to the client.',
      ['provider', 'model'],
      firstByteBuckets,
    ),
    overhead: deferredHistogram(
      'overhead_seconds',
      "Conduit's own time per request: total duration minus time waiting on the upstream.",
      ['provider'],
      overheadBuckets,
    ),
    tokens: deferredCounter(
      'tokens_total',
      'Tokens by type: input (excluding cache), output, cache_read, cache_write.',
      ['provider', 'model', 'type'],
    ),
    tokenSpeed: deferredHistogram(
      'output_tokens_per_second',
      'Output tokens per second of streamed answers, from the first byte sent to the last (what CCR’s token-speed plugin reports).',
      ['provider', 'model'],
      tokenSpeedBuckets,
    ),
    cost: deferredCounter(
      'cost_usd_total',
      'Cost in USD of requests whose model has a known price.',
      ['provider', 'model'],
    ),
    unpriced: deferredCounter(
      'unpriced_requests_total',
      'Requests whose model has no known price (not in the cost counter).',
      ['provider', 'model'],
    ),
    upstreamErrors: new Counter({
      name: `${prefix}upstream_errors_total`,
      help: 'Failed requests by provider and error type (HTTP status when no type is known).',
      labelNames: ['provider', 'type'],
      registers,
    }),
    circuitState: new Gauge({
      name: `${prefix}circuit_breaker_state`,
      help: 'Circuit breaker state per provider and model: 0 closed, 1 half-open, 2 open.',
      labelNames: ['provider', 'model'],
      registers,
    }),
  };
}

/** The usage tracker's queue as gauges read at scrape time. */
export function registerUsageGauges(
  promClient: PromClient,
  instruments: Instruments,
  prefix: string,
  tracker: Pick<UsageTracker, 'getHealth'>,
): void {
  const read = () => tracker.getHealth();
  const gauge = (name: string, help: string, value: (health: ReturnType<typeof read>) => number) =>
    new promClient.Gauge({
      name: `${prefix}${name}`,
      help,
      registers: [instruments.registry],
      collect() {
        this.set(value(read()));
      },
    });
  gauge('usage_queue_size', 'Usage rows waiting to be written.', health => health.queued);
  gauge(
    'usage_dropped_records',
    'Usage rows dropped because the queue was full.',
    health => health.dropped,
  );
  gauge('usage_written_records', 'Usage rows written since start.', health => health.written);
  gauge('usage_storage_failing', '1 while writes to the usage storage fail.', health =>
    health.consecutiveFailures > 0 ? 1 : 0,
  );
}
