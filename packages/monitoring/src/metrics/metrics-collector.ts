import { createRequire } from 'node:module';
import type { RoutingContext, RoutingDecision } from '@conduit/core';
import type { Registry } from 'prom-client';
import { PriceResolver } from '../pricing/price-resolver.js';
import { buildUsageRecord, isErrorOutcome } from '../usage/build-usage-record.js';
import type { UsageTracker } from '../usage/usage-tracker.js';
import type { RequestOutcome, UsageRecord } from '../usage/usage-types.js';
import {
  createInstruments,
  type Instruments,
  type PromClient,
  registerUsageGauges,
} from './metrics-instruments.js';

/** A circuit breaker's state; exported as 0 (closed), 1 (half-open), 2 (open). */
import type { CircuitState } from '@conduit/core';

/**
 * prom-client (and the OpenTelemetry API it loads) is required when a metric is first recorded or
 * scraped, not when the gateway starts: about 13 MB that an idle gateway does not need. Resolved
 * from this module (ESM and CJS builds, or a bundle that keeps it external, as the CLI does).
 */
const requireFromHere = createRequire(import.meta.url);

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

/**
 * Prometheus metrics for Conduit on its own `prom-client` registry: requests, durations, time to
 * first byte, Conduit's overhead (total time minus time waiting on the upstream, as TensorZero
 * reports it), tokens, cost, upstream errors and circuit breaker states. Serve `metrics()` with
 * `contentType` at `GET /metrics`.
 *
 * @example
 * const metrics = new MetricsCollector({ prices: tracker.prices });
 * metrics.observeRequest(context, decision, outcome);
 * response.headers.set('content-type', metrics.contentType);
 * response.body = await metrics.metrics();
 */
export class MetricsCollector {
  private readonly options: MetricsCollectorOptions;
  private readonly prices: PriceResolver;
  private readonly prefix: string;
  private readonly children = new Map<string, ModelChildren>();
  /** The children used last: most requests in a row go to the same provider and model. */
  private lastChildren: { provider: string; model: string; children: ModelChildren } | undefined;
  private readonly trackedUsage: Array<Pick<UsageTracker, 'getHealth'>> = [];
  private built: Instruments | undefined;

  constructor(options: MetricsCollectorOptions = {}) {
    this.options = options;
    this.prefix = options.prefix ?? 'conduit_';
    this.prices = options.prices ?? new PriceResolver();
  }

  /** The prom-client registry holding this collector's metrics (loads prom-client). */
  get registry(): Registry {
    return this.instruments.registry;
  }

  private get instruments(): Instruments {
    this.built ??= this.build();
    return this.built;
  }

  private build(): Instruments {
    const promClient = requireFromHere('prom-client') as PromClient;
    const prefix = this.prefix;
    const registry = this.options.registry ?? new promClient.Registry();
    const instruments = createInstruments(promClient, registry, prefix);
    if (this.options.defaultMetrics) {
      promClient.collectDefaultMetrics({ register: registry, prefix });
    }
    for (const tracker of this.trackedUsage)
      registerUsageGauges(promClient, instruments, prefix, tracker);
    return instruments;
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
      this.instruments.upstreamErrors.inc({
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
    this.instruments.circuitState.set({ provider, model }, value);
  }

  /**
   * Exports the usage tracker's queue as gauges read at scrape time: rows queued, dropped,
   * written, and whether storage is failing.
   */
  trackUsageTracker(tracker: Pick<UsageTracker, 'getHealth'>): void {
    this.trackedUsage.push(tracker);
    if (this.built) {
      registerUsageGauges(
        requireFromHere('prom-client') as PromClient,
        this.built,
        this.prefix,
        tracker,
      );
    }
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
    const last = this.lastChildren;
    if (last !== undefined && last.provider === provider && last.model === model) {
      return last.children;
    }
    const children = this.lookUpChildren(provider, model);
    this.lastChildren = { provider, model, children };
    return children;
  }

  private lookUpChildren(provider: string, model: string): ModelChildren {
    const key = `${provider}\u0000${model}`;
    let children = this.children.get(key);
    if (children) return children;
    const instruments = this.instruments;
    const requestChildren = new Map<string, ReturnType<Instruments['requests']['labels']>>();
    let lastRequests: { route: string; status: number; child: CounterChild } | undefined;
    children = {
      requests: (route, status) => {
        if (
          lastRequests !== undefined &&
          lastRequests.route === route &&
          lastRequests.status === status
        ) {
          return lastRequests.child;
        }
        const requestKey = `${route}\u0000${status}`;
        let child = requestChildren.get(requestKey);
        if (!child) {
          child = instruments.requests.labels({ provider, model, route, status: String(status) });
          requestChildren.set(requestKey, child);
        }
        lastRequests = { route, status, child };
        return child;
      },
      durationStreamed: instruments.duration.labels({ provider, model, streamed: 'true' }),
      durationUnary: instruments.duration.labels({ provider, model, streamed: 'false' }),
      timeToFirstByte: instruments.timeToFirstByte.labels({ provider, model }),
      overhead: instruments.overhead.labels({ provider }),
      inputTokens: instruments.tokens.labels({ provider, model, type: 'input' }),
      outputTokens: instruments.tokens.labels({ provider, model, type: 'output' }),
      cacheReadTokens: instruments.tokens.labels({ provider, model, type: 'cache_read' }),
      cacheWriteTokens: instruments.tokens.labels({ provider, model, type: 'cache_write' }),
      outputTokensPerSecond: instruments.tokenSpeed.labels({ provider, model }),
      cost: instruments.cost.labels({ provider, model }),
      unpriced: instruments.unpriced.labels({ provider, model }),
    };
    this.children.set(key, children);
    return children;
  }
}
