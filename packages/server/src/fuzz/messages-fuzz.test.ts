import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type MockHTTPServer,
  startMockAnthropicProvider,
  startMockGeminiProvider,
  startMockOpenAIProvider,
  startMockResponsesProvider,
} from '@conduit/test-utils';
import fc from 'fast-check';
import { singleProviderConfig, startTestGateway } from '../test-gateway.js';
import { messagesBodyText } from './test-messages-arbitraries.js';

/**
 * Property-based fuzzing of `POST /v1/messages` through every adapter kind: generated and mutated
 * bodies (see test-messages-arbitraries.ts) must never get a 5xx or hang, every error is an
 * Anthropic error envelope, and the gateway still serves afterwards. Most cases call the Hono app
 * in process (fast); a slice goes over real HTTP. The total is printed for the CI log. Set
 * `CONDUIT_FUZZ_RUNS` to change the in-process count per adapter.
 */

const inProcessRunsPerAdapter = Number(process.env.CONDUIT_FUZZ_RUNS ?? 2_400);
const httpRunsPerAdapter = 150;
const perRequestLimitMs = 15_000;

type Gateway = Awaited<ReturnType<typeof startTestGateway>>;

interface AdapterUnderTest {
  name: string;
  start(): Promise<{ upstream: MockHTTPServer; provider: Record<string, unknown> }>;
}

const adapters: AdapterUnderTest[] = [
  {
    name: 'anthropic',
    start: async () => {
      const upstream = await startMockAnthropicProvider();
      return {
        upstream,
        provider: { api_base_url: upstream.url, transformer: { use: ['Anthropic'] } },
      };
    },
  },
  {
    name: 'openai',
    start: async () => {
      const upstream = await startMockOpenAIProvider();
      return { upstream, provider: { api_base_url: upstream.endpoint } };
    },
  },
  {
    name: 'gemini',
    start: async () => {
      const upstream = await startMockGeminiProvider();
      return {
        upstream,
        provider: { api_base_url: upstream.endpoint, transformer: { use: ['gemini'] } },
      };
    },
  },
  {
    name: 'openai-responses',
    start: async () => {
      const upstream = await startMockResponsesProvider();
      return {
        upstream,
        provider: { api_base_url: upstream.endpoint, transformer: { use: ['openai-responses'] } },
      };
    },
  },
];

type Send = (body: string) => Promise<Response>;

function withinLimit<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish (hang)`)), perRequestLimitMs);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** Sends one body and checks the answer; returns the status. */
async function checkOne(send: Send, body: string): Promise<number> {
  return withinLimit(
    (async () => {
      const response = await send(body);
      const text = await response.text();
      if (response.status >= 500) {
        throw new Error(
          `status ${response.status} for body ${body.slice(0, 400)}: ${text.slice(0, 400)}`,
        );
      }
      if (response.status !== 200) {
        const envelope = JSON.parse(text) as {
          type?: unknown;
          error?: { type?: unknown; message?: unknown };
        };
        if (
          envelope.type !== 'error' ||
          typeof envelope.error?.type !== 'string' ||
          typeof envelope.error.message !== 'string' ||
          envelope.error.message.includes('    at ')
        ) {
          throw new Error(
            `not an Anthropic error envelope (${response.status}): ${text.slice(0, 400)}`,
          );
        }
      }
      return response.status;
    })(),
    'a fuzzed request',
  );
}

const validBody = JSON.stringify({
  model: 'claude-fuzz',
  max_tokens: 32,
  messages: [{ role: 'user', content: 'still there?' }],
});

describe.each(adapters)('fuzzing /v1/messages through the $name adapter', adapter => {
  let upstream: MockHTTPServer;
  let gateway: Gateway;
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    const started = await adapter.start();
    upstream = started.upstream;
    gateway = await startTestGateway(
      singleProviderConfig({ name: 'fuzzed', models: ['model-1'], ...started.provider } as never),
    );
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
  });

  const count = (status: number) => {
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    // The mock records every request; keep memory flat over thousands of runs.
    if (upstream.requests.length > 50) upstream.reset();
  };

  it(`answers ${inProcessRunsPerAdapter} generated bodies in process without a 5xx`, async () => {
    const send: Send = async body =>
      gateway.server.app.fetch(
        new Request(`${gateway.baseURL}/v1/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        }),
      );
    await fc.assert(
      fc.asyncProperty(messagesBodyText, async body => count(await checkOne(send, body))),
      { numRuns: inProcessRunsPerAdapter },
    );
  });

  it(`answers ${httpRunsPerAdapter} generated bodies over HTTP without a 5xx`, async () => {
    const send: Send = body =>
      fetch(`${gateway.baseURL}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    await fc.assert(
      fc.asyncProperty(messagesBodyText, async body => count(await checkOne(send, body))),
      { numRuns: httpRunsPerAdapter },
    );
  });

  it('still serves a valid request afterwards, and reports the run', async () => {
    const response = await fetch(`${gateway.baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: validBody,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ type: 'message', role: 'assistant' });
    const total = [...statuses.values()].reduce((sum, value) => sum + value, 0);
    expect(total).toBe(inProcessRunsPerAdapter + httpRunsPerAdapter);
    const byStatus = [...statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, times]) => `${status}×${times}`)
      .join(' ');
    process.stdout.write(
      `\nfuzz ${adapter.name}: ${total} bodies, 0 failures, no 5xx, no hang (${byStatus})\n`,
    );
  });
});
