/**
 * Test helper (not shipped): builds the (context, decision, outcome) triples the server reports,
 * and drives many interleaved "requests" through a tracker.
 */
import type { RoutingContext, RoutingDecision } from '@conduit/core';
import { expect } from '@jest/globals';
import { pricingTable } from '../pricing/pricing-table.js';
import type { RequestOutcome, UsageRecord } from './usage-types.js';

export interface TestRequest {
  context: RoutingContext;
  decision: RoutingDecision;
  outcome: RequestOutcome;
}

/** Provider/model pairs the simulated traffic uses; the last one has no price. */
export const testTargets: ReadonlyArray<readonly [string, string]> = [
  ['anthropic', 'claude-opus-4-8'],
  ['anthropic', 'claude-haiku-4-5-20251001'],
  ['deepseek', 'deepseek-chat'],
  ['openrouter', 'google/gemini-2.5-flash'],
  ['openai', 'gpt-4o-mini-2024-07-18'],
  ['custom', 'conduit/my-custom-model'],
];

export function makeTestRequest(
  index: number,
  overrides: {
    context?: Partial<RoutingContext>;
    decision?: Partial<RoutingDecision>;
    outcome?: Partial<RequestOutcome>;
  } = {},
): TestRequest {
  const [provider, model] = testTargets[index % testTargets.length]!;
  const failed = index % 17 === 0;
  return {
    context: {
      request: { model: 'claude-opus-4-8', max_tokens: 1024, messages: [] } as never,
      metadata: { projectId: `project-${index % 3}`, agentId: `agent-${index % 4}` },
      sessionId: `session-${index % 5}`,
      ...overrides.context,
    },
    decision: {
      provider,
      model,
      reason: index % 2 === 0 ? 'default' : 'background',
      scenario: 'default',
      confidence: 1,
      tokenCount: 1000,
      fallbacks: [],
      metadata: {},
      ...overrides.decision,
    },
    outcome: {
      requestId: `req-${String(index).padStart(6, '0')}`,
      startedAt: new Date(Date.UTC(2026, 10, 20 + (index % 3), 10, 0, 0, index)),
      usage: {
        input_tokens: 100 + (index % 50),
        output_tokens: 20 + (index % 30),
        cache_read_input_tokens: index % 4 === 0 ? 5000 : 0,
        cache_creation_input_tokens: index % 7 === 0 ? 1200 : 0,
      },
      usageEstimated: false,
      latencyMs: 200 + (index % 100),
      ttfbMs: 50 + (index % 20),
      upstreamMs: 195 + (index % 100),
      status: failed ? 529 : 200,
      ...(failed ? { errorType: 'overloaded_error' } : {}),
      streamed: index % 3 !== 0,
      ...overrides.outcome,
    },
  };
}

/**
 * Runs `count` simulated requests concurrently: each waits a varying number of event-loop turns
 * (so completions interleave with each other and with background flushes) and then reports.
 */
export async function runInterleavedRequests(
  count: number,
  report: (request: TestRequest) => void,
): Promise<TestRequest[]> {
  const requests = Array.from({ length: count }, (_, index) => makeTestRequest(index));
  await Promise.all(
    requests.map(async (request, index) => {
      for (let turn = 0; turn < (index * 7919) % 5; turn++) {
        await new Promise(resolve => setImmediate(resolve));
      }
      report(request);
    }),
  );
  return requests;
}

/** The price-table key each test target must be priced with (`null`: no price). */
const expectedTableKeys: Record<string, string | null> = {
  'claude-opus-4-8': 'claude-opus-4-8',
  'claude-haiku-4-5-20251001': 'claude-haiku-4-5',
  'deepseek-chat': 'deepseek-chat',
  'google/gemini-2.5-flash': 'gemini-2-5-flash',
  'gpt-4o-mini-2024-07-18': 'gpt-4o-mini',
  'conduit/my-custom-model': null,
};

/**
 * Asserts the ledger holds exactly one row per request, with the reported tokens and the cost the
 * pricing table gives (computed here independently of the resolver).
 */
export function expectOneRowPerRequest(rows: UsageRecord[], requests: TestRequest[]): void {
  expect(rows).toHaveLength(requests.length);
  const byId = new Map(rows.map(row => [row.id, row]));
  expect(byId.size).toBe(requests.length);
  for (const { decision, outcome } of requests) {
    const row = byId.get(outcome.requestId);
    expect(row).toBeDefined();
    const usage = outcome.usage!;
    expect(row).toMatchObject({
      provider: decision.provider,
      model: decision.model,
      inputTokens: usage.input_tokens,
      outputTokens: usage.output_tokens,
      cacheReadTokens: usage.cache_read_input_tokens ?? 0,
      cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
      status: outcome.status,
    });
    const tableKey = expectedTableKeys[decision.model];
    if (tableKey === null || tableKey === undefined) {
      expect(row!.costUsd).toBeNull();
      continue;
    }
    const price = pricingTable[tableKey]!;
    const expected =
      (usage.input_tokens * price.input +
        usage.output_tokens * price.output +
        (usage.cache_read_input_tokens ?? 0) * price.cacheRead! +
        (usage.cache_creation_input_tokens ?? 0) * price.cacheWrite!) /
      1_000_000;
    expect(row!.costUsd).toBeCloseTo(expected, 12);
  }
}
