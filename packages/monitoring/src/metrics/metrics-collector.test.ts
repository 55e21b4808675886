import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { SQLiteUsageStore } from '../storage/sqlite-usage-store.js';
import { makeTestRequest, runInterleavedRequests } from '../usage/test-requests.js';
import { UsageTracker } from '../usage/usage-tracker.js';
import type { UsageRecord } from '../usage/usage-types.js';
import { MetricsCollector } from './metrics-collector.js';

const directory = mkdtempSync(join(tmpdir(), 'conduit-metrics-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const sampleLine =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*)\})? ([+-]?(?:[0-9.e+-]+|Inf|NaN))(?: -?[0-9]+)?$/i;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * A strict parser for the Prometheus text format (0.0.4): every line must be a comment, blank, or
 * a well-formed sample of a metric declared by a preceding `# TYPE`.
 */
function parsePrometheusText(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# TYPE ')) {
      const [, , name, type] = line.split(' ');
      expect(['counter', 'gauge', 'histogram', 'summary', 'untyped']).toContain(type);
      types.set(name!, type!);
      continue;
    }
    if (line.startsWith('# HELP ') || line.startsWith('#')) continue;
    const match = sampleLine.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const name = match[1]!;
    const family = name.replace(/_(bucket|sum|count)$/, '');
    if (!types.has(name) && !types.has(family)) throw new Error(`sample without # TYPE: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(labelPair)) {
      labels[key!] = value!.replace(/\\"/g, '"').replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
    }
    samples.push({ name, labels, value: parseSampleValue(match[3]!) });
  }
  return { samples, types };
}

/** Go's ParseFloat, as Prometheus uses it: `NaN` and `Inf` in any case. */
function parseSampleValue(text: string): number {
  const lower = text.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  if (lower.endsWith('inf')) return lower.startsWith('-') ? -Infinity : Infinity;
  return Number(text);
}

function sum(samples: Sample[], name: string, where: Record<string, string> = {}): number {
  return samples
    .filter(
      sample =>
        sample.name === name &&
        Object.entries(where).every(([key, value]) => sample.labels[key] === value),
    )
    .reduce((total, sample) => total + sample.value, 0);
}

describe('MetricsCollector', () => {
  it('exports Prometheus text whose counters agree with the usage database', async () => {
    const tracker = new UsageTracker({
      store: new SQLiteUsageStore({ path: join(directory, 'agree.db') }),
      flushIntervalMs: 5,
    });
    const metrics = new MetricsCollector({ prices: tracker.prices });
    await runInterleavedRequests(600, request => {
      tracker.trackRequest(request.context, request.decision, request.outcome);
      metrics.observeRequest(request.context, request.decision, request.outcome);
    });
    const stats = await tracker.getStats();
    await tracker.close();

    const text = await metrics.metrics();
    const { samples, types } = parsePrometheusText(text);
    expect(types.get('conduit_requests_total')).toBe('counter');
    expect(types.get('conduit_request_duration_seconds')).toBe('histogram');

    expect(sum(samples, 'conduit_requests_total')).toBe(stats.totals.requests);
    expect(stats.totals.requests).toBe(600);
    for (const model of stats.byModel) {
      const where = { provider: model.provider, model: model.model };
      expect(sum(samples, 'conduit_requests_total', where)).toBe(model.requests);
      expect(sum(samples, 'conduit_cost_usd_total', where)).toBeCloseTo(model.costUsd, 9);
      expect(sum(samples, 'conduit_unpriced_requests_total', where)).toBe(model.unpricedRequests);
      expect(sum(samples, 'conduit_tokens_total', { ...where, type: 'input' })).toBe(
        model.inputTokens,
      );
    }
    expect(sum(samples, 'conduit_tokens_total', { type: 'output' })).toBe(
      stats.totals.outputTokens,
    );
    expect(sum(samples, 'conduit_tokens_total', { type: 'cache_read' })).toBe(
      stats.totals.cacheReadTokens,
    );
    expect(sum(samples, 'conduit_tokens_total', { type: 'cache_write' })).toBe(
      stats.totals.cacheWriteTokens,
    );
    expect(sum(samples, 'conduit_cost_usd_total')).toBeCloseTo(stats.totals.costUsd, 9);
    expect(sum(samples, 'conduit_upstream_errors_total')).toBe(stats.totals.errors);
    expect(
      sum(samples, 'conduit_upstream_errors_total', { type: 'overloaded_error' }),
    ).toBeGreaterThan(0);
    expect(sum(samples, 'conduit_request_duration_seconds_count')).toBe(600);
    expect(sum(samples, 'conduit_request_duration_seconds_sum')).toBeCloseTo(
      (stats.totals.latencyMs.average! * 600) / 1000,
      6,
    );
    expect(sum(samples, 'conduit_time_to_first_byte_seconds_count')).toBe(600);
    // The simulated upstream took 5 ms less than the whole request, every time.
    expect(sum(samples, 'conduit_overhead_seconds_count')).toBe(600);
    expect(sum(samples, 'conduit_overhead_seconds_sum')).toBeCloseTo(600 * 0.005, 9);
    expect(sum(samples, 'conduit_overhead_seconds_bucket', { le: '0.005' })).toBe(600);
    expect(sum(samples, 'conduit_overhead_seconds_bucket', { le: '0.0025' })).toBe(0);
    expect(
      sum(samples, 'conduit_requests_total', { route: 'background', status: '200' }),
    ).toBeGreaterThan(0);
  });

  it('measures output tokens per second of streamed answers (the token-speed metric)', async () => {
    const metrics = new MetricsCollector();
    const row = (changes: Partial<UsageRecord>): UsageRecord => ({
      id: 'r',
      timestamp: new Date(0),
      projectId: null,
      agentId: null,
      sessionId: null,
      provider: 'p',
      model: 'm',
      routeReason: 'default',
      inputTokens: 10,
      outputTokens: 300,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      usageEstimated: false,
      costUsd: null,
      latencyMs: 3500,
      ttfbMs: 500,
      upstreamMs: 3400,
      status: 200,
      errorType: null,
      streamed: true,
      ...changes,
    });
    // 300 tokens from the first byte (500 ms) to the last (3500 ms): 100 tokens/s.
    metrics.observeRecord(row({}));
    // 40 tokens in 2 s: 20 tokens/s.
    metrics.observeRecord(row({ outputTokens: 40, latencyMs: 2100, ttfbMs: 100 }));
    // Not measured: unary, failed, without output, or without a first byte.
    metrics.observeRecord(row({ streamed: false }));
    metrics.observeRecord(row({ status: 529, errorType: 'overloaded_error' }));
    metrics.observeRecord(row({ outputTokens: 0 }));
    metrics.observeRecord(row({ ttfbMs: null }));
    const { samples, types } = parsePrometheusText(await metrics.metrics());
    expect(types.get('conduit_output_tokens_per_second')).toBe('histogram');
    const where = { provider: 'p', model: 'm' };
    expect(sum(samples, 'conduit_output_tokens_per_second_count', where)).toBe(2);
    expect(sum(samples, 'conduit_output_tokens_per_second_sum', where)).toBeCloseTo(120, 9);
    expect(sum(samples, 'conduit_output_tokens_per_second_bucket', { ...where, le: '20' })).toBe(1);
    expect(sum(samples, 'conduit_output_tokens_per_second_bucket', { ...where, le: '100' })).toBe(
      2,
    );
  });

  it('counts every request made before each scrape, across scrapes and JSON reads', async () => {
    const metrics = new MetricsCollector();
    const row: UsageRecord = {
      id: 'r',
      timestamp: new Date(0),
      projectId: null,
      agentId: null,
      sessionId: null,
      provider: 'p',
      model: 'm',
      routeReason: 'default',
      inputTokens: 1_000_000,
      outputTokens: 500_000,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      usageEstimated: false,
      costUsd: 2,
      latencyMs: 20,
      ttfbMs: null,
      upstreamMs: 10,
      status: 200,
      errorType: null,
      streamed: false,
    };
    const where = { provider: 'p', model: 'm' };
    const scrape = async () => parsePrometheusText(await metrics.metrics()).samples;
    metrics.observeRecord(row);
    metrics.observeRecord(row);
    let samples = await scrape();
    expect(sum(samples, 'conduit_requests_total', where)).toBe(2);
    expect(sum(samples, 'conduit_cost_usd_total', where)).toBe(4);
    // Nothing new: the same totals, not counted twice.
    samples = await scrape();
    expect(sum(samples, 'conduit_requests_total', where)).toBe(2);
    metrics.observeRecord(row);
    metrics.observeRecord({ ...row, costUsd: null, status: 503, errorType: 'api_error' });
    samples = await scrape();
    expect(sum(samples, 'conduit_requests_total', where)).toBe(4);
    expect(sum(samples, 'conduit_requests_total', { ...where, status: '503' })).toBe(1);
    expect(sum(samples, 'conduit_tokens_total', { ...where, type: 'output' })).toBe(2_000_000);
    expect(sum(samples, 'conduit_cost_usd_total', where)).toBe(6);
    expect(sum(samples, 'conduit_unpriced_requests_total', where)).toBe(1);
    // Label sets never incremented are not exported (no zero series for cache tokens).
    expect(samples.some(sample => sample.labels.type === 'cache_read')).toBe(false);
    metrics.observeRecord(row);
    const json = await metrics.registry.getMetricsAsJSON();
    const requests = json.find(metric => metric.name === 'conduit_requests_total');
    const total = requests?.values.reduce((sum, sample) => sum + sample.value, 0);
    expect(total).toBe(5);
    // A reset forgets everything counted so far, scraped or not.
    metrics.observeRecord(row);
    metrics.registry.resetMetrics();
    metrics.observeRecord(row);
    samples = await scrape();
    expect(sum(samples, 'conduit_requests_total', where)).toBe(1);
  });

  it('publishes circuit breaker states and rejects unknown ones', async () => {
    const metrics = new MetricsCollector();
    metrics.setCircuitState('deepseek', 'deepseek-chat', 'open');
    metrics.setCircuitState('anthropic', 'claude-opus-4-8', 'half-open');
    metrics.setCircuitState('deepseek', 'deepseek-chat', 'closed');
    const { samples } = parsePrometheusText(await metrics.metrics());
    expect(sum(samples, 'conduit_circuit_breaker_state', { provider: 'deepseek' })).toBe(0);
    expect(sum(samples, 'conduit_circuit_breaker_state', { provider: 'anthropic' })).toBe(1);
    expect(() => metrics.setCircuitState('x', 'y', 'broken' as never)).toThrow(
      /unknown circuit state/,
    );
  });

  it('keeps its own registry so several collectors live in one process', async () => {
    const first = new MetricsCollector();
    const second = new MetricsCollector({ defaultMetrics: true });
    const request = makeTestRequest(1);
    first.observeRequest(request.context, request.decision, request.outcome);
    const firstText = parsePrometheusText(await first.metrics());
    const secondText = parsePrometheusText(await second.metrics());
    expect(sum(firstText.samples, 'conduit_requests_total')).toBe(1);
    expect(sum(secondText.samples, 'conduit_requests_total')).toBe(0);
    expect(secondText.types.has('conduit_process_cpu_user_seconds_total')).toBe(true);
    expect(firstText.types.has('conduit_process_cpu_user_seconds_total')).toBe(false);
    expect(first.contentType).toMatch(/^text\/plain/);
  });

  it('escapes label values and ignores malformed reports', async () => {
    const metrics = new MetricsCollector({ prefix: 'gateway_' });
    const request = makeTestRequest(2, {
      decision: { provider: 'weird"provider', model: 'line\nbreak\\model' },
    });
    metrics.observeRequest(request.context, request.decision, request.outcome);
    metrics.observeRequest(request.context, undefined as never, request.outcome);
    const { samples } = parsePrometheusText(await metrics.metrics());
    expect(sum(samples, 'gateway_requests_total', { provider: 'weird"provider' })).toBe(1);
    expect(sum(samples, 'gateway_requests_total', { model: 'line\nbreak\\model' })).toBe(1);
  });

  it('exports the usage queue as gauges read at scrape time', async () => {
    const tracker = new UsageTracker({
      store: new SQLiteUsageStore({ path: join(directory, 'gauges.db') }),
      autoFlush: false,
      maxQueueSize: 3,
    });
    const metrics = new MetricsCollector();
    metrics.trackUsageTracker(tracker);
    for (let index = 0; index < 5; index++) {
      const request = makeTestRequest(index);
      tracker.trackRequest(request.context, request.decision, request.outcome);
    }
    let parsed = parsePrometheusText(await metrics.metrics());
    expect(sum(parsed.samples, 'conduit_usage_queue_size')).toBe(3);
    expect(sum(parsed.samples, 'conduit_usage_dropped_records')).toBe(2);
    await tracker.close();
    parsed = parsePrometheusText(await metrics.metrics());
    expect(sum(parsed.samples, 'conduit_usage_queue_size')).toBe(0);
    expect(sum(parsed.samples, 'conduit_usage_written_records')).toBe(3);
    expect(sum(parsed.samples, 'conduit_usage_storage_failing')).toBe(0);
  });
});
