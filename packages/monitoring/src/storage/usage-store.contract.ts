/**
 * The contract every {@link UsageStore} backend passes (Hono's `common.case.test.ts` pattern):
 * call `runUsageStoreContract` from a backend's test file with a factory for fresh ledgers.
 * Not a test file itself, and not shipped.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { UsageRecord } from '../usage/usage-types.js';
import { type UsageStore, UsageStorageError } from './usage-store.js';

/** A fresh, empty ledger; `open()` returns a new store instance on it (several may share it). */
export interface ContractLedger {
  open(): UsageStore;
}

let sequence = 0;

/** A complete record with sensible values; override what the test is about. */
export function makeUsageRecord(overrides: Partial<UsageRecord> = {}): UsageRecord {
  sequence++;
  return {
    id: `request-${String(sequence).padStart(6, '0')}`,
    timestamp: new Date(Date.UTC(2026, 0, 15, 12, 0, 0) + sequence),
    projectId: 'project-a',
    agentId: 'agent-1',
    sessionId: 'session-1',
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    routeReason: 'default',
    inputTokens: 100,
    outputTokens: 50,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    usageEstimated: false,
    costUsd: 0.00105,
    latencyMs: 100,
    ttfbMs: 20,
    upstreamMs: 90,
    status: 200,
    errorType: null,
    streamed: true,
    ...overrides,
  };
}

function sortById(records: UsageRecord[]): UsageRecord[] {
  return [...records].sort((left, right) => (left.id < right.id ? -1 : 1));
}

/** Runs the storage contract against a backend. */
export function runUsageStoreContract(
  backendName: string,
  createLedger: () => Promise<ContractLedger>,
): void {
  describe(`UsageStore contract: ${backendName}`, () => {
    const opened: UsageStore[] = [];
    async function openStore(ledger?: ContractLedger): Promise<UsageStore> {
      const store = (ledger ?? (await createLedger())).open();
      opened.push(store);
      return store;
    }

    afterEach(async () => {
      await Promise.all(opened.splice(0).map(store => store.close().catch(() => undefined)));
    });

    it('starts empty, and init is idempotent even when called concurrently', async () => {
      const store = await openStore();
      await Promise.all([store.init(), store.init(), store.init()]);
      await store.init();
      await store.ping();
      expect(await store.listRecords()).toEqual([]);
      const stats = await store.getStats();
      expect(stats.totals).toMatchObject({ requests: 0, errors: 0, errorRate: 0, costUsd: 0 });
      expect(stats.totals.latencyMs).toEqual({ p50: null, p95: null, average: null });
      expect(stats.byModel).toEqual([]);
      expect(stats.byDay).toEqual([]);
    });

    it('round-trips every field exactly, including nulls, fractions and large counts', async () => {
      const store = await openStore();
      const full = makeUsageRecord({
        inputTokens: 3_000_000_000,
        outputTokens: 12_345,
        cacheReadTokens: 777,
        cacheWriteTokens: 55,
        usageEstimated: true,
        costUsd: 1.234567891234,
        latencyMs: 1234.5,
        ttfbMs: 12.25,
        upstreamMs: 1200.75,
        status: 529,
        errorType: 'overloaded_error',
        streamed: false,
        routeReason: 'rule:cheap-background',
      });
      const sparse = makeUsageRecord({
        projectId: null,
        agentId: null,
        sessionId: null,
        costUsd: null,
        ttfbMs: null,
        upstreamMs: null,
      });
      await store.insertBatch([full, sparse]);
      expect(sortById(await store.listRecords())).toEqual(sortById([full, sparse]));
    });

    it('ignores rows whose id exists (a retried batch never duplicates) and empty batches', async () => {
      const store = await openStore();
      const first = makeUsageRecord();
      await store.insertBatch([first]);
      const changedCopy = { ...first, outputTokens: 999_999 };
      const second = makeUsageRecord();
      await store.insertBatch([changedCopy, second]);
      await store.insertBatch([]);
      const rows = await store.listRecords();
      expect(rows).toHaveLength(2);
      expect(rows.find(row => row.id === first.id)?.outputTokens).toBe(first.outputTokens);
    });

    it('writes large batches in one call and pages through them in time order', async () => {
      const store = await openStore();
      const base = Date.UTC(2026, 1, 1);
      const records = Array.from({ length: 2500 }, (_, index) =>
        makeUsageRecord({ timestamp: new Date(base + (2500 - index) * 1000) }),
      );
      await store.insertBatch(records);
      expect((await store.getStats()).totals.requests).toBe(2500);
      const firstPage = await store.listRecords({}, { limit: 10 });
      const secondPage = await store.listRecords({}, { limit: 10, offset: 10 });
      const expected = [...records].sort(
        (left, right) => left.timestamp.getTime() - right.timestamp.getTime(),
      );
      expect(firstPage.map(row => row.id)).toEqual(expected.slice(0, 10).map(row => row.id));
      expect(secondPage.map(row => row.id)).toEqual(expected.slice(10, 20).map(row => row.id));
    });

    it('aggregates totals, errors, estimates, costs and nearest-rank percentiles', async () => {
      const store = await openStore();
      const records = Array.from({ length: 20 }, (_, index) =>
        makeUsageRecord({
          latencyMs: index + 1,
          ttfbMs: index < 10 ? (index + 1) * 10 : null,
          inputTokens: 10,
          outputTokens: 5,
          cacheReadTokens: 2,
          cacheWriteTokens: 1,
          costUsd: index === 0 ? null : 0.5,
          usageEstimated: index < 3,
          status: index === 1 ? 500 : 200,
          errorType: index === 2 ? 'client_aborted' : null,
        }),
      );
      await store.insertBatch(records);
      const { totals } = await store.getStats();
      expect(totals).toMatchObject({
        requests: 20,
        errors: 2,
        errorRate: 0.1,
        inputTokens: 200,
        outputTokens: 100,
        cacheReadTokens: 40,
        cacheWriteTokens: 20,
        estimatedRequests: 3,
        unpricedRequests: 1,
      });
      expect(totals.costUsd).toBeCloseTo(9.5, 10);
      expect(totals.latencyMs).toEqual({ p50: 10, p95: 19, average: 10.5 });
      // ttfb: 10 values 10..100 (nulls ignored): p50 rank 5, p95 rank 10.
      expect(totals.ttfbMs).toEqual({ p50: 50, p95: 100, average: 55 });
    });

    it('groups by model, provider, agent, project and UTC day', async () => {
      const store = await openStore();
      const lateOnJanuaryFirst = new Date(Date.UTC(2026, 0, 1, 23, 59, 59, 999));
      const januarySecond = new Date(Date.UTC(2026, 0, 2, 0, 0, 0, 0));
      await store.insertBatch([
        makeUsageRecord({ timestamp: lateOnJanuaryFirst, costUsd: 1, latencyMs: 100 }),
        makeUsageRecord({
          timestamp: lateOnJanuaryFirst,
          costUsd: 2,
          latencyMs: 300,
          agentId: null,
        }),
        makeUsageRecord({
          timestamp: januarySecond,
          provider: 'deepseek',
          model: 'deepseek-chat',
          costUsd: 0.5,
          latencyMs: 50,
          projectId: 'project-b',
          agentId: 'agent-2',
        }),
        makeUsageRecord({
          timestamp: januarySecond,
          provider: 'openrouter',
          model: 'mystery/model',
          costUsd: null,
          projectId: null,
          status: 429,
          errorType: 'rate_limit_error',
        }),
      ]);
      const stats = await store.getStats();
      expect(
        stats.byModel.map(row => [row.provider, row.model, row.requests, row.costUsd]),
      ).toEqual([
        ['anthropic', 'claude-sonnet-4-5', 2, 3],
        ['deepseek', 'deepseek-chat', 1, 0.5],
        ['openrouter', 'mystery/model', 1, 0],
      ]);
      expect(stats.byModel[0]?.latencyMs).toEqual({ p50: 100, p95: 300, average: 200 });
      expect(stats.byModel[2]).toMatchObject({ unpricedRequests: 1, errors: 1, errorRate: 1 });
      expect(stats.byProvider.map(row => [row.provider, row.requests])).toEqual([
        ['anthropic', 2],
        ['deepseek', 1],
        ['openrouter', 1],
      ]);
      expect(stats.byAgent.map(row => [row.agentId, row.requests, row.costUsd])).toEqual([
        [null, 1, 2],
        ['agent-1', 2, 1],
        ['agent-2', 1, 0.5],
      ]);
      expect(stats.byProject.map(row => [row.projectId, row.requests])).toEqual([
        ['project-a', 2],
        ['project-b', 1],
        [null, 1],
      ]);
      expect(stats.byDay.map(row => [row.day, row.requests, row.costUsd])).toEqual([
        ['2026-01-01', 2, 3],
        ['2026-01-02', 2, 0.5],
      ]);
    });

    it('filters by project and by time range (since inclusive, until exclusive)', async () => {
      const store = await openStore();
      const at = (hour: number) => new Date(Date.UTC(2026, 2, 1, hour));
      await store.insertBatch([
        makeUsageRecord({ timestamp: at(1), projectId: 'alpha' }),
        makeUsageRecord({ timestamp: at(2), projectId: 'alpha' }),
        makeUsageRecord({ timestamp: at(3), projectId: 'beta' }),
        makeUsageRecord({
          timestamp: at(4),
          projectId: 'alpha',
          agentId: 'coder',
          sessionId: 's-2',
        }),
      ]);
      const requests = async (query: Parameters<UsageStore['getStats']>[0]) =>
        (await store.getStats(query)).totals.requests;
      expect(await requests({ projectId: 'alpha' })).toBe(3);
      expect(await requests({ agentId: 'coder' })).toBe(1);
      expect(await requests({ sessionId: 's-2' })).toBe(1);
      expect(await requests({ sessionId: 'session-1' })).toBe(3);
      expect(await requests({ projectId: 'beta', agentId: 'coder' })).toBe(0);
      expect(await requests({ since: at(2) })).toBe(3);
      expect(await requests({ until: at(2) })).toBe(1);
      expect(await requests({ since: at(2), until: at(4) })).toBe(2);
      expect(await requests({ projectId: 'alpha', since: at(2), until: at(4) })).toBe(1);
      expect(await requests({ projectId: 'nobody' })).toBe(0);
      const stats = await store.getStats({ projectId: 'alpha', since: at(2) });
      expect(stats).toMatchObject({ projectId: 'alpha', since: at(2).toISOString(), until: null });
      const rows = await store.listRecords({ projectId: 'alpha', until: at(4) });
      expect(rows.map(row => row.timestamp.toISOString())).toEqual([
        at(1).toISOString(),
        at(2).toISOString(),
      ]);
    });

    it('lets several instances share one ledger, migrating concurrently', async () => {
      const ledger = await createLedger();
      const stores = await Promise.all(Array.from({ length: 4 }, () => openStore(ledger)));
      await Promise.all(stores.map(store => store.init()));
      await Promise.all(
        stores.map((store, index) =>
          store.insertBatch([makeUsageRecord({ agentId: `instance-${index}` })]),
        ),
      );
      for (const store of stores) {
        expect((await store.getStats()).totals.requests).toBe(4);
      }
      const reopened = await openStore(ledger);
      expect((await reopened.getStats()).byAgent).toHaveLength(4);
    });

    it('fails clearly once closed', async () => {
      const store = await openStore();
      await store.insertBatch([makeUsageRecord()]);
      await store.close();
      await store.close();
      const failure = await store.insertBatch([makeUsageRecord()]).catch((error: unknown) => error);
      expect(UsageStorageError.isInstance(failure)).toBe(true);
      expect((failure as Error).message).toMatch(/closed/);
      await expect(store.getStats()).rejects.toThrow(/closed/);
    });
  });
}
