/**
 * Runs every example of docs/examples against mock upstreams on 127.0.0.1, so the README's code
 * keeps working (docs/examples/synapse-integration.ts is run by packages/synapse).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { main as runPluginExample } from '../../../docs/examples/plugin.js';
import { main as runRouterExample } from '../../../docs/examples/router.js';
import { main as runServerExample } from '../../../docs/examples/server.js';
import { main as runUsageExample } from '../../../docs/examples/usage.js';
import { type MockOpenAIProvider, startMockOpenAIProvider } from './mock-openai-provider.js';

let upstream: MockOpenAIProvider;
const quiet = { log: () => undefined, apiKey: 'sk-upstream' };

beforeAll(async () => {
  upstream = await startMockOpenAIProvider();
});

beforeEach(() => {
  upstream.reset();
});

afterAll(async () => {
  await upstream.close();
});

function upstreamModels(): unknown[] {
  return upstream.requests.map(request => (request.json as { model?: unknown }).model);
}

describe('docs/examples/router.ts', () => {
  it('routes by scenario, custom rule and explicit model, and explains', async () => {
    const { routed, explanation } = await runRouterExample({
      baseURL: upstream.url,
      log: quiet.log,
    });

    expect(routed.map(({ label, route, reason }) => ({ label, route, reason }))).toEqual([
      { label: 'a plain turn', route: 'deepseek,deepseek-chat', reason: 'default' },
      { label: 'a background request', route: 'ollama,qwen2.5-coder:7b', reason: 'background' },
      { label: 'thinking enabled', route: 'deepseek,deepseek-reasoner', reason: 'think' },
      { label: 'a custom rule', route: 'ollama,qwen2.5-coder:7b', reason: 'rule:docs-to-local' },
      { label: 'an explicit provider,model', route: 'ollama,qwen2.5-coder:7b', reason: 'explicit' },
    ]);
    expect(routed.every(entry => entry.tokenCount > 0)).toBe(true);
    expect(explanation).toContain('✓ background: model "claude-haiku-4-5" is a Claude Haiku model');
    // The router never calls an upstream.
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('docs/examples/server.ts', () => {
  it('serves the Anthropic SDK through an OpenAI-compatible upstream, then stops', async () => {
    const result = await runServerExample({ baseURL: upstream.url, ...quiet });

    expect(result.text).toBe('Hello from the mock.');
    expect(result.streamedText).toBe('Hello from the mock.');
    expect(result.servedBy).toBe('deepseek,deepseek-chat');
    expect(result.health).toMatchObject({ status: 200, body: { status: 'ok', ready: true } });
    expect(upstream.requests).toHaveLength(2);
    expect(upstream.requests.map(request => request.path)).toEqual([
      '/chat/completions',
      '/chat/completions',
    ]);
    expect(upstreamModels()).toEqual(['deepseek-chat', 'deepseek-chat']);
    // The upstream gets the provider key, never the gateway's own APIKEY.
    expect(upstream.requests[0]?.headers.authorization).toBe('Bearer sk-upstream');
    expect(upstream.requests[0]?.rawBody).not.toContain('local-gateway-secret');
  });
});

describe('docs/examples/plugin.ts', () => {
  it('routes the free tenant to the cheap model, in a router and in a gateway', async () => {
    const result = await runPluginExample({ baseURL: upstream.url, ...quiet });

    expect(result.libraryRoutes).toEqual({
      free: 'openrouter,qwen/qwen3-coder (plugin:tenant-router)',
      pro: 'openrouter,anthropic/claude-sonnet-5 (default)',
    });
    expect(result.servedModel).toBe('qwen/qwen3-coder');
    expect(upstreamModels()).toEqual(['qwen/qwen3-coder']);
  });
});

describe('docs/examples/usage.ts', () => {
  it('records gateway and hand-tracked requests in SQLite, with costs', async () => {
    const result = await runUsageExample({ baseURL: upstream.url, ...quiet });

    expect(result.requestCount).toBe(2);
    // 10 prompt tokens from the mock's default answer + 1200 tracked by hand.
    expect(result.inputTokens).toBe(1210);
    expect(result.byProject).toEqual(
      expect.arrayContaining([
        { projectId: 'web-app', requests: 1 },
        { projectId: 'batch-jobs', requests: 1 },
      ]),
    );
    // (10 + 1200) × $0.27 + (5 + 300) × $1.10, per million tokens.
    const expectedCost = (1210 * 0.27 + 305 * 1.1) / 1_000_000;
    expect(result.totalCost).toBeCloseTo(expectedCost, 10);
    expect(result.costByModel).toEqual([
      { key: 'deepseek,deepseek-chat', costUsd: expect.closeTo(expectedCost, 10) },
    ]);
    expect(upstream.requests).toHaveLength(1);
  });
});
