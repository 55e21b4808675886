/**
 * The usage ledger under load, end to end: many concurrent requests (streamed and not) through a
 * real gateway to a mock OpenAI-compatible upstream that reports distinct usage per request. After
 * a graceful stop the SQLite ledger holds exactly one row per request, with the tokens the upstream
 * reported (in Anthropic's meaning) and the price-table cost, and `/metrics` counted every request.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type UsageRecord, createUsageStore, pricingTable } from '@conduit/monitoring';
import {
  type MockOpenAIProvider,
  type RecordedRequest,
  parseSSEJSON,
  renderOpenAIAnswer,
  startMockOpenAIProvider,
} from '@conduit/test-utils';
import { type ConduitGateway, createConduit } from './create-conduit.js';

const requestCount = 2000;
const concurrency = 32;
const provider = 'openai';
const model = 'gpt-4o-mini';

/** What the upstream reports for request `index`: input excludes the cached part (Anthropic's meaning). */
function usageFor(index: number): { input: number; output: number; cached: number } {
  return { input: 20 + index, output: 1 + (index % 37), cached: (index % 5) * 11 };
}

/** Claude Code's `metadata.user_id` (JSON form); the session id carries the request's index. */
function userIdFor(index: number): string {
  return JSON.stringify({ device_id: 'load-test-device', session_id: `load-${index}` });
}

function indexFromUpstreamRequest(request: RecordedRequest): number {
  const user = (request.json as { user?: unknown } | undefined)?.user;
  const sessionId = typeof user === 'string' ? (JSON.parse(user) as { session_id: string }) : null;
  const match = /^load-(\d+)$/.exec(sessionId?.session_id ?? '');
  if (!match) throw new Error(`upstream request without a load-test user: ${request.rawBody}`);
  return Number(match[1]);
}

interface ClientResult {
  index: number;
  streamed: boolean;
  requestId: string;
  outputTokens: number;
}

async function sendOne(baseURL: string, index: number): Promise<ClientResult> {
  const streamed = index % 2 === 1;
  const response = await fetch(`${baseURL}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({
      model: 'claude-sonnet-4-5',
      max_tokens: 64,
      stream: streamed,
      metadata: { user_id: userIdFor(index) },
      messages: [{ role: 'user', content: `load request ${index}` }],
    }),
  });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`request ${index} failed with ${response.status}: ${text}`);
  }
  const requestId = response.headers.get('x-conduit-request-id') ?? '';
  if (!streamed) {
    const body = JSON.parse(text) as { usage: { output_tokens: number } };
    return { index, streamed, requestId, outputTokens: body.usage.output_tokens };
  }
  const events = parseSSEJSON(text) as Array<{
    event: string;
    data: { usage?: { output_tokens?: number } };
  }>;
  const names = events.map(event => event.event);
  if (names.at(-1) !== 'message_stop') {
    throw new Error(`stream ${index} did not end with message_stop: ${names.join(',')}`);
  }
  const delta = events.find(event => event.event === 'message_delta');
  return { index, streamed, requestId, outputTokens: delta?.data.usage?.output_tokens ?? -1 };
}

/** Runs `count` requests with at most `limit` in flight. */
async function sendAll(baseURL: string, count: number, limit: number): Promise<ClientResult[]> {
  const results: ClientResult[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results.push(await sendOne(baseURL, index));
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

function metricSum(text: string, name: string): number {
  return text
    .split('\n')
    .filter(line => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

describe('usage ledger under concurrent load', () => {
  let upstream: MockOpenAIProvider;
  let home: string;
  let server: ConduitGateway;
  let baseURL: string;
  let stopped = false;

  beforeAll(async () => {
    upstream = await startMockOpenAIProvider();
    upstream.setDefaultResponder(request => {
      const index = indexFromUpstreamRequest(request);
      return renderOpenAIAnswer(
        { text: `answer ${index}`, stop: 'end_turn', usage: usageFor(index), model },
        (request.json as { stream?: boolean }).stream === true,
      );
    });
    home = await mkdtemp(join(tmpdir(), 'conduit-ledger-load-'));
    server = createConduit(
      {
        Providers: [
          { name: provider, api_base_url: upstream.endpoint, api_key: 'sk-load', models: [model] },
        ],
        Router: { default: `${provider},${model}` },
        // one upstream call per request: the count of upstream requests is asserted too
        resilience: { retry: { maxAttempts: 1 }, circuitBreaker: { enabled: false } },
        usage: { storage: `sqlite:${join(home, 'usage.db')}`, flushIntervalMs: 100 },
      },
      { home },
    );
    baseURL = (await server.start({ port: 0, host: '127.0.0.1' })).url;
  });
  afterAll(async () => {
    if (!stopped) await server.stop();
    await upstream.close();
    await rm(home, { recursive: true, force: true });
  });

  it('records exactly one correctly priced row per request, and counts each in /metrics', async () => {
    const results = await sendAll(baseURL, requestCount, concurrency);
    expect(results).toHaveLength(requestCount);
    expect(upstream.requests).toHaveLength(requestCount);
    for (const result of results) {
      expect({ index: result.index, output: result.outputTokens }).toEqual({
        index: result.index,
        output: usageFor(result.index).output,
      });
    }
    const idsSeen = new Map(results.map(result => [result.requestId, result]));
    expect(idsSeen.size).toBe(requestCount);
    expect(idsSeen.has('')).toBe(false);

    const metrics = await (await fetch(`${baseURL}/metrics`)).text();

    await server.stop();
    stopped = true;

    const store = createUsageStore(`sqlite:${join(home, 'usage.db')}`, { home });
    let rows: UsageRecord[];
    try {
      rows = await store.listRecords({}, { limit: 10_000 });
    } finally {
      await store.close();
    }
    expect(rows).toHaveLength(requestCount);
    expect(new Set(rows.map(row => row.id))).toEqual(new Set(idsSeen.keys()));

    const price = pricingTable[model]!;
    const mismatches: string[] = [];
    for (const row of rows) {
      const client = idsSeen.get(row.id)!;
      const usage = usageFor(client.index);
      const expectedCost =
        (usage.input * price.input +
          usage.output * price.output +
          usage.cached * price.cacheRead!) /
        1e6;
      const actual = {
        sessionId: row.sessionId,
        provider: row.provider,
        model: row.model,
        routeReason: row.routeReason,
        inputTokens: row.inputTokens,
        outputTokens: row.outputTokens,
        cacheReadTokens: row.cacheReadTokens,
        cacheWriteTokens: row.cacheWriteTokens,
        usageEstimated: row.usageEstimated,
        status: row.status,
        errorType: row.errorType,
        streamed: row.streamed,
      };
      const expected = {
        sessionId: `load-${client.index}`,
        provider,
        model,
        routeReason: 'default',
        inputTokens: usage.input,
        outputTokens: usage.output,
        cacheReadTokens: usage.cached,
        cacheWriteTokens: 0,
        usageEstimated: false,
        status: 200,
        errorType: null,
        streamed: client.streamed,
      };
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        mismatches.push(`${row.id}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`);
      } else if (row.costUsd === null || Math.abs(row.costUsd - expectedCost) > 1e-12) {
        mismatches.push(`${row.id}: cost ${row.costUsd} != ${expectedCost}`);
      }
    }
    expect({ count: mismatches.length, first: mismatches.slice(0, 3) }).toEqual({
      count: 0,
      first: [],
    });

    expect(metricSum(metrics, 'conduit_requests_total')).toBe(rows.length);
    const tokens = (type: string) =>
      metricSum(
        metrics
          .split('\n')
          .filter(line => line.includes(`type="${type}"`))
          .join('\n'),
        'conduit_tokens_total',
      );
    expect(tokens('input')).toBe(rows.reduce((sum, row) => sum + row.inputTokens, 0));
    expect(tokens('cache_read')).toBe(rows.reduce((sum, row) => sum + row.cacheReadTokens, 0));
  });
});
