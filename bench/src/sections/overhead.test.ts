import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type MockUpstream, startMockUpstream } from '../mock/mock-upstream.js';
import { createSmallRequest } from './bench-requests.js';
import { type OverheadResult, type OverheadScenario, runScenarioMatrix } from './overhead.js';

/** The small request through the Anthropic passthrough (the mock stands in for the gateway). */
function smallAnthropicScenario(stream: boolean, concurrency: number): OverheadScenario {
  return {
    id: `small/anthropic/${stream ? 'sse' : 'json'}/c${concurrency}`,
    body: 'small',
    upstream: 'anthropic',
    stream,
    concurrency,
    provider: 'mock-anthropic',
    pathPrefix: '',
  };
}

describe('runScenarioMatrix', () => {
  let mock: MockUpstream;
  beforeAll(async () => {
    mock = await startMockUpstream();
  });
  afterAll(async () => {
    await mock.close();
  });

  it('interleaves slices at c=1 and reports the gateway process CPU per request', async () => {
    // The mock speaks the Anthropic Messages API itself, so it can stand in for a gateway; this
    // process serves it, so this process's CPU is what the row reports.
    const scenario = smallAnthropicScenario(false, 1);
    const results = new Map<string, OverheadResult>();
    const lines: string[] = [];
    await runScenarioMatrix({
      scenarios: [scenario],
      gateways: [{ name: 'conduit', url: mock.url, pid: process.pid }],
      results,
      mockURL: mock.url,
      timing: { warmupMs: 20, durationMs: 200 },
      requestFor: () => createSmallRequest(),
      log: line => lines.push(line),
      rounds: 2,
      slicesAtConcurrency1: 4,
    });
    const row = results.get(scenario.id)!;
    const conduit = row.gateways.conduit!;
    expect(conduit.errors).toBe(0);
    expect(row.direct.requests).toBeGreaterThan(0);
    expect(conduit.requests).toBeGreaterThan(0);
    expect(conduit.cpuMicrosPerRequest).toBeGreaterThan(0);
    expect(conduit.spread?.cpuMicrosPerRequest?.rounds).toBe(2);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/µs CPU\/request/);
  });

  it('runs round 1 of every scenario before round 2 of any, so a slow minute spreads over rows', async () => {
    const results = new Map<string, OverheadResult>();
    const lines: string[] = [];
    await runScenarioMatrix({
      scenarios: [smallAnthropicScenario(false, 8), smallAnthropicScenario(true, 8)],
      gateways: [{ name: 'conduit', url: mock.url }],
      results,
      mockURL: mock.url,
      timing: { warmupMs: 10, durationMs: 100 },
      requestFor: () => createSmallRequest(),
      log: line => lines.push(line),
      rounds: 2,
    });
    expect(lines.map(line => line.split(' (')[0] + line.match(/round \d/)![0])).toEqual([
      'conduit small/anthropic/json/c8round 1',
      'conduit small/anthropic/sse/c8round 1',
      'conduit small/anthropic/json/c8round 2',
      'conduit small/anthropic/sse/c8round 2',
    ]);
    for (const id of ['small/anthropic/json/c8', 'small/anthropic/sse/c8']) {
      const conduit = results.get(id)!.gateways.conduit!;
      expect(conduit.errors).toBe(0);
      expect(conduit.requests).toBeGreaterThan(0);
    }
  });
});
