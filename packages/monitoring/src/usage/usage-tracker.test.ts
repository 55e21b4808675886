import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ConfigError, InvalidRequestError } from '@conduit/core';
import { createUsageStorageCheck } from '../health/health-checks.js';
import { PostgresUsageStore } from '../storage/postgres-usage-store.js';
import { createUsageStore } from '../storage/create-usage-store.js';
import { loadBetterSqlite3, SQLiteUsageStore } from '../storage/sqlite-usage-store.js';
import { UsageStorageError } from '../storage/usage-store.js';
import { createRecordingLogger } from '../test-logger.js';
import { createUsageTracker } from './create-usage-tracker.js';
import {
  expectOneRowPerRequest,
  makeTestRequest,
  runInterleavedRequests,
  type TestRequest,
} from './test-requests.js';
import { UsageTracker } from './usage-tracker.js';

const directory = mkdtempSync(join(tmpdir(), 'conduit-usage-tracker-'));
let files = 0;
const nextPath = () => join(directory, `usage-${++files}.db`);

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

function track(tracker: UsageTracker, request: TestRequest): void {
  tracker.trackRequest(request.context, request.decision, request.outcome);
}

async function readAll(path: string) {
  const store = new SQLiteUsageStore({ path });
  try {
    return await store.listRecords({}, { limit: 10000 });
  } finally {
    await store.close();
  }
}

/** A SQLite store whose native module can be made to "disappear", to simulate an outage. */
function flakySQLiteStore(path: string) {
  const state = { available: false };
  const store = new SQLiteUsageStore({
    path,
    loadDriver: async () => {
      if (!state.available) throw new Error('simulated outage: native module unavailable');
      return loadBetterSqlite3();
    },
  });
  return { store, state };
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 5));
  }
}

describe('UsageTracker', () => {
  it('records one row per request with ids from routing metadata, cost and flags', async () => {
    const path = nextPath();
    const logger = createRecordingLogger();
    const tracker = new UsageTracker({
      store: new SQLiteUsageStore({ path }),
      logger,
      autoFlush: false,
    });
    const priced = makeTestRequest(0, {
      context: {
        metadata: { projectId: 'synapse', agentId: 'coder' },
        sessionId: 'abc',
      },
      decision: { provider: 'anthropic', model: 'claude-sonnet-4-20250514', reason: 'rule:big' },
      outcome: {
        usage: { input_tokens: 1000, output_tokens: 500, cache_read_input_tokens: 2000 },
        status: 200,
        errorType: undefined,
        clientApi: 'openai-chat',
      },
    });
    const fromDecision = makeTestRequest(1, {
      context: { metadata: {}, sessionId: undefined },
      decision: { metadata: { projectId: 'from-decision', sessionId: 's-2' } },
      outcome: { usage: undefined, usageEstimated: false },
    });
    const unknown = makeTestRequest(2, {
      decision: { provider: 'custom', model: 'conduit/my-custom-model' },
    });
    const unknownAgain = makeTestRequest(3, {
      decision: { provider: 'custom', model: 'conduit/my-custom-model' },
    });
    for (const request of [priced, fromDecision, unknown, unknownAgain]) track(tracker, request);
    await tracker.close();

    const rows = await readAll(path);
    const row = (request: TestRequest) => rows.find(item => item.id === request.outcome.requestId);
    expect(row(priced)).toMatchObject({
      projectId: 'synapse',
      agentId: 'coder',
      sessionId: 'abc',
      routeReason: 'rule:big',
      inputTokens: 1000,
      outputTokens: 500,
      cacheReadTokens: 2000,
      cacheWriteTokens: 0,
      usageEstimated: false,
      errorType: null,
      clientApi: 'openai-chat',
    });
    expect(row(priced)?.costUsd).toBeCloseTo((1000 * 3 + 500 * 15 + 2000 * 0.3) / 1e6, 12);
    expect(row(fromDecision)).toMatchObject({
      projectId: 'from-decision',
      agentId: null,
      sessionId: 's-2',
      usageEstimated: true,
      inputTokens: 0,
      clientApi: null,
    });
    expect(row(unknown)?.costUsd).toBeNull();
    expect(row(unknownAgain)?.costUsd).toBeNull();
    const priceWarnings = logger.entries.filter(entry =>
      entry.message.startsWith('No price known'),
    );
    expect(priceWarnings).toHaveLength(1);
  });

  it('only enqueues on trackRequest; rows reach the store when flushed', async () => {
    const path = nextPath();
    const tracker = new UsageTracker({ store: new SQLiteUsageStore({ path }), autoFlush: false });
    for (let index = 0; index < 250; index++) track(tracker, makeTestRequest(index));
    expect(tracker.getHealth()).toMatchObject({ queued: 250, written: 0, status: 'healthy' });
    await tracker.flush();
    expect(tracker.getHealth()).toMatchObject({ queued: 0, written: 250 });
    expect(await tracker.store.listRecords({}, { limit: 1000 })).toHaveLength(250);
    await tracker.close();
  });

  it('writes in the background once a batch is full, without waiting for the interval', async () => {
    const tracker = new UsageTracker({
      store: new SQLiteUsageStore({ path: nextPath() }),
      batchSize: 10,
      flushIntervalMs: 3_600_000,
    });
    for (let index = 0; index < 25; index++) track(tracker, makeTestRequest(index));
    await waitFor(() => tracker.getHealth().written === 25, 'background batch writes');
    await tracker.close();
  });

  it('writes on the interval timer', async () => {
    const tracker = new UsageTracker({
      store: new SQLiteUsageStore({ path: nextPath() }),
      batchSize: 1000,
      flushIntervalMs: 10,
    });
    track(tracker, makeTestRequest(0));
    await waitFor(() => tracker.getHealth().written === 1, 'timer flush');
    await tracker.close();
  });

  it('keeps exactly one row per request under 5000 interleaved concurrent reports', async () => {
    const path = nextPath();
    const tracker = new UsageTracker({
      store: new SQLiteUsageStore({ path }),
      batchSize: 100,
      flushIntervalMs: 5,
    });
    const requests = await runInterleavedRequests(5000, request => track(tracker, request));
    await tracker.close();
    expect(tracker.getHealth()).toMatchObject({ written: 5000, dropped: 0, rejected: 0 });
    expectOneRowPerRequest(await readAll(path), requests);
  });

  it('drops and counts rows when the queue is full, never throwing, and reports it', async () => {
    const logger = createRecordingLogger();
    const tracker = new UsageTracker({
      store: new SQLiteUsageStore({ path: nextPath() }),
      maxQueueSize: 100,
      autoFlush: false,
      logger,
    });
    for (let index = 0; index < 150; index++) track(tracker, makeTestRequest(index));
    expect(tracker.getHealth()).toMatchObject({
      status: 'degraded',
      queued: 100,
      dropped: 50,
      message: '50 usage rows dropped (queue full)',
    });
    expect(logger.entries.filter(entry => entry.message.includes('queue is full'))).toHaveLength(1);
    await tracker.flush();
    track(tracker, makeTestRequest(150));
    await tracker.close();
    expect(tracker.getHealth()).toMatchObject({ written: 101, dropped: 50 });
  });

  it('keeps rows queued through a storage outage, reports it, and recovers', async () => {
    const path = nextPath();
    const { store, state } = flakySQLiteStore(path);
    const logger = createRecordingLogger();
    const tracker = new UsageTracker({ store, logger, autoFlush: false });
    for (let index = 0; index < 10; index++) track(tracker, makeTestRequest(index));
    const failure = await tracker.flush().catch((error: unknown) => error);
    expect(UsageStorageError.isInstance(failure)).toBe(true);
    const down = tracker.getHealth();
    expect(down).toMatchObject({ status: 'unhealthy', queued: 10, consecutiveFailures: 1 });
    expect(down.lastError).toMatch(/simulated outage/);
    expect(down.message).toMatch(/usage storage failing/);
    // Requests keep being tracked during the outage.
    for (let index = 10; index < 20; index++) track(tracker, makeTestRequest(index));
    await expect(tracker.flush()).rejects.toThrow(/simulated outage/);

    state.available = true;
    await tracker.flush();
    expect(tracker.getHealth()).toMatchObject({
      status: 'healthy',
      queued: 0,
      written: 20,
      consecutiveFailures: 0,
    });
    expect(logger.entries.map(entry => entry.message)).toEqual(
      expect.arrayContaining([
        'Usage storage unavailable; rows stay queued and writes are retried',
        'Usage storage recovered',
      ]),
    );
    await tracker.close();
    expect(await readAll(path)).toHaveLength(20);
  });

  it('retries automatically with backoff once the storage is back', async () => {
    const { store, state } = flakySQLiteStore(nextPath());
    const tracker = new UsageTracker({
      store,
      flushIntervalMs: 5,
      maxRetryDelayMs: 20,
    });
    for (let index = 0; index < 5; index++) track(tracker, makeTestRequest(index));
    await waitFor(() => tracker.getHealth().consecutiveFailures >= 2, 'failed attempts');
    state.available = true;
    await waitFor(() => tracker.getHealth().written === 5, 'automatic recovery');
    expect(tracker.getHealth().status).toBe('healthy');
    await tracker.close();
  });

  it('flushes everything on close, then drops late reports without throwing', async () => {
    const path = nextPath();
    const logger = createRecordingLogger();
    const tracker = new UsageTracker({
      store: new SQLiteUsageStore({ path }),
      batchSize: 100,
      flushIntervalMs: 3_600_000,
      logger,
    });
    for (let index = 0; index < 1234; index++) track(tracker, makeTestRequest(index));
    await tracker.close();
    await tracker.close();
    expect(() => track(tracker, makeTestRequest(5000))).not.toThrow();
    expect(tracker.getHealth()).toMatchObject({ closed: true, status: 'unhealthy', dropped: 1 });
    expect(await readAll(path)).toHaveLength(1234);
  });

  it('reports how many rows a shutdown with the storage down loses', async () => {
    const logger = createRecordingLogger();
    const { store } = flakySQLiteStore(nextPath());
    const tracker = new UsageTracker({ store, autoFlush: false, closeTimeoutMs: 30, logger });
    for (let index = 0; index < 7; index++) track(tracker, makeTestRequest(index));
    const failure = await tracker.close().catch((error: unknown) => error);
    expect(UsageStorageError.isInstance(failure)).toBe(true);
    expect((failure as Error).message).toMatch(/^7 usage records could not be written/);
    expect(logger.entries.some(entry => entry.level === 'error' && entry.details?.lost === 7)).toBe(
      true,
    );
  });

  it('never throws into the request path on a malformed report', () => {
    const logger = createRecordingLogger();
    const tracker = new UsageTracker({
      store: new SQLiteUsageStore({ path: nextPath() }),
      autoFlush: false,
      logger,
    });
    const request = makeTestRequest(0);
    expect(() =>
      tracker.trackRequest(request.context, undefined as never, request.outcome),
    ).not.toThrow();
    expect(tracker.getHealth()).toMatchObject({ rejected: 1, queued: 0 });
    expect(logger.entries[0]?.message).toBe('Usage report could not be recorded');
    // Rows that could never be stored are refused up front, so they cannot block a batch.
    const badDate = makeTestRequest(1, { outcome: { startedAt: new Date('invalid') } });
    const noId = makeTestRequest(2, { outcome: { requestId: '' } });
    for (const bad of [badDate, noId]) track(tracker, bad);
    expect(tracker.getHealth()).toMatchObject({ rejected: 3, queued: 0 });
  });

  it('serves stats and cost breakdowns including rows still queued', async () => {
    const tracker = new UsageTracker({
      store: new SQLiteUsageStore({ path: nextPath() }),
      autoFlush: false,
    });
    for (let index = 0; index < 60; index++) track(tracker, makeTestRequest(index));
    const stats = await tracker.getStats();
    expect(stats.totals.requests).toBe(60);
    const project = await tracker.getStats('project-1');
    expect(project.totals.requests).toBe(20);
    const ranged = await tracker.getStats(undefined, {
      since: new Date(Date.UTC(2026, 10, 21)),
      until: new Date(Date.UTC(2026, 10, 22)),
    });
    expect(ranged.totals.requests).toBe(20);
    expect(ranged.byDay.map(day => day.day)).toEqual(['2026-11-21']);
    const breakdown = await tracker.getCostBreakdown();
    expect(breakdown.totalCostUsd).toBeCloseTo(stats.totals.costUsd, 12);
    expect(breakdown.unpricedRequests).toBe(10);
    expect(breakdown.byModel.reduce((sum, line) => sum + line.share, 0)).toBeCloseTo(1, 12);
    expect(
      breakdown.byModel.find(line => line.key === 'custom,conduit/my-custom-model'),
    ).toMatchObject({ costUsd: 0, unpricedRequests: 10, share: 0 });
    await expect(
      tracker.getStats(undefined, { since: new Date(2026, 1, 2), until: new Date(2026, 1, 1) }),
    ).rejects.toThrow(InvalidRequestError);
    await expect(tracker.getStats(undefined, { since: new Date('nope') })).rejects.toThrow(
      /since must be a valid date/,
    );
    await tracker.close();
  });

  it('probes the storage for health checks', async () => {
    const { store, state } = flakySQLiteStore(nextPath());
    const tracker = new UsageTracker({ store, autoFlush: false });
    const check = createUsageStorageCheck(tracker);
    const down = await check();
    expect(down.status).toBe('unhealthy');
    expect(down.details).toMatchObject({ backend: 'sqlite', consecutiveFailures: 1 });
    state.available = true;
    expect((await check()).status).toBe('healthy');
    await tracker.close();
  });

  it('checks an unused SQLite ledger without opening it; the first record opens it', async () => {
    const path = nextPath();
    const tracker = new UsageTracker({ store: new SQLiteUsageStore({ path }), autoFlush: false });
    const check = createUsageStorageCheck(tracker);
    expect(await check()).toMatchObject({ status: 'healthy', message: /not opened yet/ });
    expect(existsSync(path)).toBe(false);
    track(tracker, makeTestRequest(0));
    await tracker.flush();
    expect(existsSync(path)).toBe(true);
    const checked = await check();
    expect(checked).toMatchObject({ status: 'healthy', details: { written: 1 } });
    expect(checked.message).toBeUndefined();
    await tracker.close();
  });

  it('reports an unused SQLite ledger whose folder cannot be created', async () => {
    // A file cannot be a directory.
    const tracker = new UsageTracker({
      store: new SQLiteUsageStore({ path: '/dev/null/usage.db' }),
      autoFlush: false,
    });
    expect(await createUsageStorageCheck(tracker)()).toMatchObject({ status: 'unhealthy' });
    await tracker.close();
  });

  it('reports an unused SQLite ledger whose native module cannot load', async () => {
    const store = new SQLiteUsageStore({
      path: nextPath(),
      // What better-sqlite3 does when its addon was built for another Node: it fails on construction.
      loadDriver: async () =>
        function Database() {
          throw new Error('was compiled against a different Node.js version');
        } as never,
    });
    const tracker = new UsageTracker({ store, autoFlush: false });
    expect(await createUsageStorageCheck(tracker)()).toMatchObject({
      status: 'unhealthy',
      message: expect.stringMatching(/native module.*different Node\.js version/),
    });
    await tracker.close();
  });

  it('rejects invalid queue settings', () => {
    const store = new SQLiteUsageStore({ path: nextPath() });
    expect(() => new UsageTracker({ store, batchSize: 0 })).toThrow(ConfigError);
    expect(() => new UsageTracker({ store, maxQueueSize: 1.5 })).toThrow(/usage.maxQueueSize/);
  });
});

describe('createUsageTracker and createUsageStore', () => {
  it('builds a tracker from the usage config, with pricing overrides', async () => {
    const path = nextPath();
    const tracker = createUsageTracker(
      {
        storage: `sqlite:${path}`,
        batchSize: 50,
        pricing: { 'custom,conduit/my-custom-model': { input: 1, output: 1 } },
      },
      { home: directory },
    );
    expect(tracker.store).toMatchObject({ kind: 'sqlite', location: path });
    const request = makeTestRequest(0, {
      decision: { provider: 'custom', model: 'conduit/my-custom-model' },
      outcome: { usage: { input_tokens: 1_000_000, output_tokens: 1_000_000 } },
    });
    track(tracker, request);
    await tracker.close();
    expect((await readAll(path))[0]?.costUsd).toBe(2);
  });

  it('picks the backend from usage.storage', () => {
    const home = join(directory, 'home');
    expect(createUsageStore(undefined, { home }).location).toBe(join(home, 'usage.db'));
    expect(createUsageStore('', { home }).location).toBe(join(home, 'usage.db'));
    expect(createUsageStore('ledger/usage.db', { home }).location).toBe(
      join(home, 'ledger/usage.db'),
    );
    expect(createUsageStore('sqlite:///var/tmp/x.db', { home }).location).toBe('/var/tmp/x.db');
    expect(createUsageStore('sqlite::memory:', { home }).location).toBe(':memory:');
    const postgres = createUsageStore('postgresql://user:pw@127.0.0.1:5432/db?schema=ledger');
    expect(postgres).toBeInstanceOf(PostgresUsageStore);
    expect(postgres.location).toBe('postgresql://user:***@127.0.0.1:5432/db');
    expect(() => createUsageStore('mysql://localhost/db')).toThrow(ConfigError);
  });

  it('defaults to $CONDUIT_HOME/usage.db', () => {
    const previous = process.env.CONDUIT_HOME;
    process.env.CONDUIT_HOME = join(directory, 'conduit-home');
    try {
      expect(createUsageStore(undefined).location).toBe(
        join(directory, 'conduit-home', 'usage.db'),
      );
    } finally {
      if (previous === undefined) delete process.env.CONDUIT_HOME;
      else process.env.CONDUIT_HOME = previous;
    }
  });
});
