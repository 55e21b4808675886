import type { RoutingContext, RoutingDecision } from '@conduit/core';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { PriceResolver } from '../pricing/price-resolver.js';
import { buildUsageRecord, isErrorOutcome } from '../usage/build-usage-record.js';
import type { UsageTracker } from '../usage/usage-tracker.js';
import type { RequestOutcome, UsageRecord } from '../usage/usage-types.js';

/** A circuit breaker's state; exported as 0 (closed), 1 (half-open), 2 (open). */
import type { CircuitState } from '@conduit/core';

interface CounterChild {
  inc(value?: number): void;
}
interface HistogramChild {
  observe(value: number): void;
}

/** The metric children of one provider/model. */
interface ModelChildren {
  requests(route: string, status: number): CounterChild;
  durationStreamed: HistogramChild;
  durationUnary: HistogramChild;
  timeToFirstByte: HistogramChild;
  overhead: HistogramChild;
  inputTokens: CounterChild;
  outputTokens: CounterChild;
  cacheReadTokens: CounterChild;
  cacheWriteTokens: CounterChild;
  outputTokensPerSecond: HistogramChild;
  cost: CounterChild;
  unpriced: CounterChild;
}

const circuitStateValues: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

export interface MetricsCollectorOptions {
  /** Metric name prefix (default `conduit_`). */
  prefix?: string;
  /** Also export Node's process metrics (CPU, memory, event loop lag, GC). Default false. */
  defaultMetrics?: boolean;
  /** Share the tracker's resolver so cost counters match the ledger exactly. */
  prices?: PriceResolver;
  /** Registry to use (default: a new one, so several servers in one process don't clash). */
  registry?: Registry;
}

/** LLM calls run from milliseconds to many minutes. */
const durationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600];
const firstByteBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120];
/** Conduit's own work per request should be milliseconds. */
const overheadBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];
/** Output speeds from a slow local model to the fastest hosted ones. */
const tokenSpeedBuckets = [1, 2, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000];

/**
 * Output tokens per second of a streamed answer: its output tokens over the time from the first
 * byte sent to the last (the time to first byte is reported on its own). Undefined for unary or
 * failed answers, answers without output, and streams that took no measurable time.
 */
export function outputTokensPerSecond(record: UsageRecord): number | undefined {
  if (!record.streamed || record.ttfbMs === null || record.outputTokens <= 0) return undefined;
  if (isErrorOutcome(record.status, record.errorType)) return undefined;
  const generationMs = record.latencyMs - record.ttfbMs;
  return generationMs > 0 ? record.outputTokens / (generationMs / 1000) : undefined;
}

/**
 * Prometheus metrics for Conduit on its own `prom-client` registry: requests, durations, time to
 * first byte, Conduit's overhead (total time minus time waiting on the upstream, as TensorZero
 * reports it), tokens, output tokens per second of streams, cost, upstream errors and circuit breaker states. Serve `metrics()` with
 * `contentType` at `GET /metrics`.
 *
 * @example
 * const metrics = new MetricsCollector({ prices: tracker.prices });
 * metrics.observeRequest(context, decision, outcome);
 * response.headers.set('content-type', metrics.contentType);
 * response.body = await metrics.metrics();
 */
export class MetricsCollector {
  readonly registry: Registry;
  private readonly prices: PriceResolver;
  private readonly requests: Counter<'provider' | 'model' | 'route' | 'status'>;
  private readonly duration: Histogram<'provider' | 'model' | 'streamed'>;
  private readonly timeToFirstByte: Histogram<'provider' | 'model'>;
  private readonly overhead: Histogram<'provider'>;
  private readonly tokens: Counter<'provider' | 'model' | 'type'>;
  private readonly tokenSpeed: Histogram<'provider' | 'model'>;
  private readonly cost: Counter<'provider' | 'model'>;
  private readonly unpriced: Counter<'provider' | 'model'>;
  private readonly upstreamErrors: Counter<'provider' | 'type'>;
  private readonly circuitState: Gauge<'provider' | 'model'>;
  private readonly prefix: string;
  private readonly children = new Map<string, ModelChildren>();

  constructor(options: MetricsCollectorOptions = {}) {
    const prefix = options.prefix ?? 'conduit_';
    this.prefix = prefix;
    this.registry = options.registry ?? new Registry();
    this.prices = options.prices ?? new PriceResolver();
    const registers = [this.registry];
    this.requests = new Counter({
      name: `${prefix}requests_total`,
      help: 'Requests served, by provider, model, route reason and HTTP status.',
      labelNames: ['provider', 'model', 'route', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: `${prefix}request_duration_seconds`,
      help: 'Total request duration, from arrival to the last byte sent.',
      labelNames: ['provider', 'model', 'streamed'],
      buckets: durationBuckets,
      registers,
    });
    this.timeToFirstByte = new Histogram({
      name: `${prefix}time_to_first_byte_seconds`,
      help: 'Time from arrival to the first byte sent to the client.',
      labelNames: ['provider', 'model'],
      buckets: firstByteBuckets,
      registers,
    });
    this.overhead = new Histogram({
      name: `${prefix}overhead_seconds`,
      help: "Conduit's own time per request: total duration minus time waiting on the upstream.",
      labelNames: ['provider'],
      buckets: overheadBuckets,
      registers,
    });
    this.tokens = new Counter({
      name: `${prefix}tokens_total`,
      help: 'Tokens by type: input (excluding cache), output, cache_read, cache_write.',
      labelNames: ['provider', 'model', 'type'],
      registers,
    });
    this.tokenSpeed = new Histogram({
      name: `${prefix}output_tokens_per_second`,
      help: 'Output tokens per second of streamed answers, from the first byte sent to the last (what CCR’s token-speed plugin reports).',
      labelNames: ['provider', 'model'],
      buckets: tokenSpeedBuckets,
      registers,
    });
    this.cost = new Counter({
      name: `${prefix}cost_usd_total`,
      help: 'Cost in USD of requests whose model has a known price.',
      labelNames: ['provider', 'model'],
      registers,
    });
    this.unpriced = new Counter({
      name: `${prefix}unpriced_requests_total`,
      help: 'Requests whose model has no known price (not in the cost counter).',
      labelNames: ['provider', 'model'],
      registers,
    });
    this.upstreamErrors = new Counter({
      name: `${prefix}upstream_errors_total`,
      help: 'Failed requests by provider and error type (HTTP status when no type is known).',
      labelNames: ['provider', 'type'],
      registers,
    });
    this.circuitState = new Gauge({
      name: `${prefix}circuit_breaker_state`,
      help: 'Circuit breaker state per provider and model: 0 closed, 1 half-open, 2 open.',
      labelNames: ['provider', 'model'],
      registers,
    });
    if (options.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix });
  }

  /** The `Content-Type` of {@link metrics}. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Records one finished request (the same triple the usage tracker gets). Never throws. */
  observeRequest(
    context: RoutingContext,
    decision: RoutingDecision,
    outcome: RequestOutcome,
  ): void {
    let record: UsageRecord;
    try {
      record = buildUsageRecord(context, decision, outcome, this.prices);
    } catch {
      return;
    }
    this.observeRecord(record);
  }

  /** Records one ledger row (when the caller built it already). */
  observeRecord(record: UsageRecord): void {
    const children = this.childrenFor(record.provider, record.model);
    children.requests(record.routeReason, record.status).inc();
    (record.streamed ? children.durationStreamed : children.durationUnary).observe(
      record.latencyMs / 1000,
    );
    if (record.ttfbMs !== null) children.timeToFirstByte.observe(record.ttfbMs / 1000);
    if (record.upstreamMs !== null) {
      children.overhead.observe(Math.max(0, record.latencyMs - record.upstreamMs) / 1000);
    }
    if (record.inputTokens > 0) children.inputTokens.inc(record.inputTokens);
    if (record.outputTokens > 0) children.outputTokens.inc(record.outputTokens);
    if (record.cacheReadTokens > 0) children.cacheReadTokens.inc(record.cacheReadTokens);
    if (record.cacheWriteTokens > 0) children.cacheWriteTokens.inc(record.cacheWriteTokens);
    const speed = outputTokensPerSecond(record);
    if (speed !== undefined) children.outputTokensPerSecond.observe(speed);
    if (record.costUsd === null) children.unpriced.inc();
    else if (record.costUsd > 0) children.cost.inc(record.costUsd);
    if (isErrorOutcome(record.status, record.errorType)) {
      this.upstreamErrors.inc({
        provider: record.provider,
        type: record.errorType ?? `http_${record.status}`,
      });
    }
  }

  /** Publishes a circuit breaker's state (called by the resilience layer on every transition). */
  setCircuitState(provider: string, model: string, state: CircuitState): void {
    const value = circuitStateValues[state];
    if (value === undefined) {
      throw new TypeError(`unknown circuit state "${String(state)}" (closed, half-open or open)`);
    }
    this.circuitState.set({ provider, model }, value);
  }

  /**
   * Exports the usage tracker's queue as gauges read at scrape time: rows queued, dropped,
   * written, and whether storage is failing.
   */
  trackUsageTracker(tracker: Pick<UsageTracker, 'getHealth'>): void {
    const read = () => tracker.getHealth();
    const gauge = (
      name: string,
      help: string,
      value: (health: ReturnType<typeof read>) => number,
    ) =>
      new Gauge({
        name: `${this.prefix}${name}`,
        help,
        registers: [this.registry],
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

  /** The Prometheus text exposition of every metric. */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  /**
   * prom-client hashes the label set on every `inc`/`observe`; resolving the children once per
   * provider/model keeps `observeRecord` cheap on the request path.
   */
  private childrenFor(provider: string, model: string): ModelChildren {
    const key = `${provider}\u0000${model}`;
    let children = this.children.get(key);
    if (children) return children;
    const requestChildren = new Map<string, ReturnType<MetricsCollector['requests']['labels']>>();
    children = {
      requests: (route, status) => {
        const requestKey = `${route}\u0000${status}`;
        let child = requestChildren.get(requestKey);
        if (!child) {
          child = this.requests.labels({ provider, model, route, status: String(status) });
          requestChildren.set(requestKey, child);
        }
        return child;
      },
      durationStreamed: this.duration.labels({ provider, model, streamed: 'true' }),
      durationUnary: this.duration.labels({ provider, model, streamed: 'false' }),
      timeToFirstByte: this.timeToFirstByte.labels({ provider, model }),
      overhead: this.overhead.labels({ provider }),
      inputTokens: this.tokens.labels({ provider, model, type: 'input' }),
      outputTokens: this.tokens.labels({ provider, model, type: 'output' }),
      cacheReadTokens: this.tokens.labels({ provider, model, type: 'cache_read' }),
      cacheWriteTokens: this.tokens.labels({ provider, model, type: 'cache_write' }),
      outputTokensPerSecond: this.tokenSpeed.labels({ provider, model }),
      cost: this.cost.labels({ provider, model }),
      unpriced: this.unpriced.labels({ provider, model }),
    };
    this.children.set(key, children);
    return children;
  }
}
