/**
 * Monitoring benchmarks: the cost of `UsageTracker.trackRequest` on the request path (median ns per
 * call, against an empty call as baseline), the longest event-loop stall a background batch write
 * causes, and flush throughput for SQLite and (when CONDUIT_TEST_POSTGRES_URL is set) PostgreSQL.
 * Run: node --conditions=@conduit/source --import tsx bench/src/monitoring-bench.ts [--quick]
 * Prints a summary and writes bench/results/monitoring.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RoutingContext, RoutingDecision } from '@conduit/core';
import {
  MetricsCollector,
  PostgresUsageStore,
  type RequestOutcome,
  SQLiteUsageStore,
  type UsageStore,
  UsageTracker,
} from '@conduit/monitoring';

const here = dirname(fileURLToPath(import.meta.url));
const resultsPath = resolve(here, '../results/monitoring.json');
const quick = process.argv.includes('--quick');
const hotPathSamples = quick ? 200 : 1000;
const callsPerSample = 1000;
const flushRows = quick ? 20_000 : 100_000;
const postgresURL = process.env.CONDUIT_TEST_POSTGRES_URL;

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
}

const models: Array<[string, string]> = [
  ['anthropic', 'claude-opus-4-8'],
  ['anthropic', 'claude-haiku-4-5-20251001'],
  ['deepseek', 'deepseek-chat'],
  ['openrouter', 'google/gemini-2.5-flash'],
];

let requestCounter = 0;
/** A realistic report, built before timing (the server has these objects anyway). */
function makeReport(): [RoutingContext, RoutingDecision, RequestOutcome] {
  const index = requestCounter++;
  const [provider, model] = models[index % models.length]!;
  return [
    {
      request: { model: 'claude-opus-4-8', max_tokens: 32000, messages: [] } as never,
      metadata: { projectId: `project-${index % 3}`, agentId: `agent-${index % 5}` },
      sessionId: `session-${index % 7}`,
    },
    {
      provider,
      model,
      reason: 'default',
      scenario: 'default',
      confidence: 1,
      tokenCount: 19000,
      fallbacks: [],
      metadata: {},
    },
    {
      requestId: `bench-${index}`,
      startedAt: new Date(),
      usage: {
        input_tokens: 19000 + (index % 100),
        output_tokens: 300 + (index % 50),
        cache_read_input_tokens: 15000,
        cache_creation_input_tokens: 400,
      },
      usageEstimated: false,
      latencyMs: 2400,
      ttfbMs: 800,
      upstreamMs: 2395,
      status: 200,
      streamed: true,
    },
  ];
}

/** Median ns per call of `call` over `hotPathSamples` samples of `callsPerSample` calls. */
async function measurePerCall(
  call: (report: [RoutingContext, RoutingDecision, RequestOutcome]) => void,
  between: () => Promise<void>,
): Promise<{ medianNs: number; p99Ns: number }> {
  const perCall: number[] = [];
  for (let sample = 0; sample < hotPathSamples; sample++) {
    const reports = Array.from({ length: callsPerSample }, makeReport);
    const started = process.hrtime.bigint();
    for (const report of reports) call(report);
    perCall.push(Number(process.hrtime.bigint() - started) / callsPerSample);
    await between();
  }
  return { medianNs: median(perCall), p99Ns: percentile(perCall, 0.99) };
}

const directory = mkdtempSync(join(tmpdir(), 'conduit-monitoring-bench-'));

async function hotPath() {
  const store = new SQLiteUsageStore({ path: join(directory, 'hot-path.db') });
  const tracker = new UsageTracker({ store, maxQueueSize: 1_000_000, autoFlush: false });
  const metrics = new MetricsCollector({ prices: tracker.prices });
  let sink = 0;
  const baseline = await measurePerCall(
    report => {
      sink += report[2].latencyMs;
    },
    async () => {},
  );
  const flushStalls: number[] = [];
  const track = await measurePerCall(
    ([context, decision, outcome]) => tracker.trackRequest(context, decision, outcome),
    async () => {
      // Write what was queued, timing each synchronous batch write (the event-loop stall a
      // background flush can cause to concurrent requests).
      const started = performance.now();
      await tracker.flush();
      flushStalls.push((performance.now() - started) / Math.ceil(callsPerSample / 100));
    },
  );
  const observe = await measurePerCall(
    ([context, decision, outcome]) => metrics.observeRequest(context, decision, outcome),
    async () => {},
  );
  await tracker.close();
  if (sink < 0) console.log(sink);
  return {
    baselineMedianNs: baseline.medianNs,
    trackRequestMedianNs: track.medianNs,
    trackRequestP99Ns: track.p99Ns,
    observeRequestMedianNs: observe.medianNs,
    observeRequestP99Ns: observe.p99Ns,
    sqliteBatchOf100MedianMs: median(flushStalls),
    sqliteBatchOf100P99Ms: percentile(flushStalls, 0.99),
  };
}

async function flushThroughput(name: string, store: UsageStore) {
  await store.init();
  const tracker = new UsageTracker({
    store,
    batchSize: 500,
    maxQueueSize: flushRows,
    autoFlush: false,
  });
  for (let index = 0; index < flushRows; index++) tracker.trackRequest(...makeReport());
  const started = performance.now();
  await tracker.flush();
  const seconds = (performance.now() - started) / 1000;
  const statsStarted = performance.now();
  const stats = await tracker.getStats();
  const statsMs = performance.now() - statsStarted;
  await tracker.close();
  if (stats.totals.requests !== flushRows) {
    throw new Error(`${name}: expected ${flushRows} rows, found ${stats.totals.requests}`);
  }
  return {
    backend: name,
    rows: flushRows,
    batchSize: 500,
    rowsPerSecond: Math.round(flushRows / seconds),
    statsMs,
  };
}

/** The little of `pg` the bench needs (bench has no pg types of its own). */
interface PostgresModule {
  Client: new (config: {
    connectionString?: string;
  }) => {
    connect(): Promise<void>;
    query(sql: string): Promise<unknown>;
    end(): Promise<void>;
  };
}

async function dropPostgresSchema(schema: string): Promise<void> {
  // bench has no direct pg dependency; borrow the monitoring package's copy.
  const monitoringEntry = fileURLToPath(import.meta.resolve('@conduit/monitoring'));
  const pg = createRequire(monitoringEntry)('pg') as PostgresModule;
  const client = new pg.Client({ connectionString: postgresURL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

try {
  const hot = await hotPath();
  const flushes = [
    await flushThroughput(
      'sqlite',
      new SQLiteUsageStore({ path: join(directory, 'throughput.db') }),
    ),
  ];
  if (postgresURL) {
    const schema = `conduit_bench_${process.pid}`;
    try {
      flushes.push(
        await flushThroughput(
          'postgres',
          new PostgresUsageStore({ connectionString: postgresURL, schema }),
        ),
      );
    } finally {
      await dropPostgresSchema(schema);
    }
  } else {
    console.log(
      'PostgreSQL skipped: set CONDUIT_TEST_POSTGRES_URL (bash scripts/start-postgres.sh)',
    );
  }
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    quick,
    hotPath: { samples: hotPathSamples, callsPerSample, ...hot },
    flush: flushes,
  };
  console.log('hot path (median per call):');
  console.log(`  empty call baseline        ${hot.baselineMedianNs.toFixed(0)} ns`);
  console.log(
    `  UsageTracker.trackRequest   ${hot.trackRequestMedianNs.toFixed(0)} ns (p99 ${hot.trackRequestP99Ns.toFixed(0)} ns)`,
  );
  console.log(
    `  MetricsCollector.observe    ${hot.observeRequestMedianNs.toFixed(0)} ns (p99 ${hot.observeRequestP99Ns.toFixed(0)} ns)`,
  );
  console.log(
    `  SQLite batch of 100 (background stall) ${hot.sqliteBatchOf100MedianMs.toFixed(3)} ms (p99 ${hot.sqliteBatchOf100P99Ms.toFixed(3)} ms)`,
  );
  for (const flush of flushes) {
    console.log(
      `flush ${flush.backend}: ${flush.rowsPerSecond} rows/s (${flush.rows} rows, batches of ${flush.batchSize}); getStats over them ${flush.statsMs.toFixed(0)} ms`,
    );
  }
  mkdirSync(dirname(resultsPath), { recursive: true });
  writeFileSync(resultsPath, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${resultsPath}`);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
