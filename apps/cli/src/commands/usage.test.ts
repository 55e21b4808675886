import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createUsageStore, type UsageRecord } from '@conduit/conduit';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createSandbox, type Sandbox } from '../../test/cli-harness.js';

function record(
  overrides: Partial<UsageRecord> & Pick<UsageRecord, 'id' | 'timestamp'>,
): UsageRecord {
  return {
    projectId: 'web',
    agentId: null,
    sessionId: null,
    provider: 'deepseek',
    model: 'deepseek-chat',
    routeReason: 'default',
    inputTokens: 1000,
    outputTokens: 200,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    usageEstimated: false,
    costUsd: 0.5,
    latencyMs: 800,
    ttfbMs: 120,
    upstreamMs: 780,
    status: 200,
    errorType: null,
    streamed: true,
    ...overrides,
  };
}

interface UsageJSON {
  ledger: string;
  totals: {
    requests: number;
    inputTokens: number;
    costUsd: number;
    errors: number;
    unpricedRequests: number;
  };
  byProject: Array<{ projectId: string | null; requests: number }>;
  byModel: Array<{ model: string; requests: number }>;
  byDay: Array<{ day: string; requests: number }>;
}

describe('conduit usage', () => {
  let sandbox: Sandbox;
  let ledger: string;
  let configFile: string;
  const now = Date.now();
  const hoursAgo = (hours: number) => new Date(now - hours * 3_600_000);

  beforeEach(async () => {
    sandbox = createSandbox();
    ledger = path.join(sandbox.root, 'ledger.db');
    configFile = path.join(sandbox.root, 'config.json');
    writeFileSync(configFile, JSON.stringify({ usage: { storage: `sqlite:${ledger}` } }));
    const store = createUsageStore(`sqlite:${ledger}`);
    await store.insertBatch([
      record({ id: 'r1', timestamp: hoursAgo(1) }),
      record({
        id: 'r2',
        timestamp: hoursAgo(2),
        projectId: 'api',
        model: 'deepseek-reasoner',
        costUsd: 1.25,
      }),
      record({
        id: 'r3',
        timestamp: hoursAgo(30),
        status: 500,
        errorType: 'api_error',
        costUsd: 0,
      }),
      record({ id: 'r4', timestamp: hoursAgo(3), provider: 'local', model: 'qwen', costUsd: null }),
      record({ id: 'old', timestamp: hoursAgo(24 * 40), inputTokens: 99_999 }),
    ]);
    await store.close();
  });
  afterEach(async () => {
    await sandbox.dispose();
  });

  it('reports usage and cost by project, model and day with totals (--json)', async () => {
    const result = await sandbox.run(['usage', '--json', '--config', configFile]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const stats = JSON.parse(result.stdout) as UsageJSON;
    expect(stats.ledger).toBe(ledger);
    // the default range is the last 7 days: the 40-day-old row is out
    expect(stats.totals.requests).toBe(4);
    expect(stats.totals.inputTokens).toBe(4000);
    expect(stats.totals.costUsd).toBeCloseTo(1.75, 6);
    expect(stats.totals.errors).toBe(1);
    expect(stats.totals.unpricedRequests).toBe(1);
    expect(Object.fromEntries(stats.byProject.map(row => [row.projectId, row.requests]))).toEqual({
      web: 3,
      api: 1,
    });
    expect(stats.byModel.map(row => row.model).sort()).toEqual([
      'deepseek-chat',
      'deepseek-reasoner',
      'qwen',
    ]);
    expect(stats.byDay.reduce((sum, row) => sum + row.requests, 0)).toBe(4);
  });

  it('prints readable tables and honours --since/--until/--project', async () => {
    const table = await sandbox.run(['usage', '--since', '2d', '--config', configFile]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/By project\nproject\s+requests/);
    expect(table.stdout).toMatch(/By model[\s\S]*deepseek,deepseek-reasoner/);
    expect(table.stdout).toMatch(/By day \(UTC\)/);
    expect(table.stdout).toMatch(/TOTAL[\s\S]*all\s+4\s+4,000\s+800/);
    expect(table.stdout).toMatch(/\$1\.75\*/);
    expect(table.stdout).toMatch(/1 request\(s\) on models without a price/);

    const recent = await sandbox.run([
      'usage',
      '--since',
      '12h',
      '--project',
      'web',
      '--json',
      '--config',
      configFile,
    ]);
    expect((JSON.parse(recent.stdout) as UsageJSON).totals.requests).toBe(2);

    const since = new Date(now - 24 * 50 * 3_600_000).toISOString().slice(0, 10);
    const until = new Date(now - 24 * 20 * 3_600_000).toISOString();
    const window = await sandbox.run([
      'usage',
      '--since',
      since,
      '--until',
      until,
      '--json',
      '--config',
      configFile,
    ]);
    const windowStats = JSON.parse(window.stdout) as UsageJSON;
    expect(windowStats.totals.requests).toBe(1);
    expect(windowStats.totals.inputTokens).toBe(99_999);
  });

  it('says so when nothing was recorded, and rejects a bad time', async () => {
    const emptyConfig = path.join(sandbox.root, 'empty.json');
    writeFileSync(
      emptyConfig,
      JSON.stringify({ usage: { storage: `sqlite:${path.join(sandbox.root, 'none.db')}` } }),
    );
    const empty = await sandbox.run(['usage', '--config', emptyConfig]);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toMatch(/No requests recorded in this range/);

    const bad = await sandbox.run(['usage', '--since', 'last tuesday', '--config', configFile]);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(/--since "last tuesday" is not a time/);

    const backwards = await sandbox.run([
      'usage',
      '--since',
      '1d',
      '--until',
      '3d',
      '--config',
      configFile,
    ]);
    expect(backwards.code).toBe(64);
  });
});
