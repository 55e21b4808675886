import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type MockAnthropicProvider,
  readFixtureText,
  startMockAnthropicProvider,
} from '@conduit/test-utils';
import { main } from '../../../../docs/examples/synapse-integration.js';

let upstream: MockAnthropicProvider;

beforeAll(async () => {
  upstream = await startMockAnthropicProvider();
});

afterAll(async () => {
  await upstream.close();
});

describe('docs/examples/synapse-integration.ts', () => {
  it('runs against a mock upstream', async () => {
    const lines: string[] = [];
    const result = await main({
      baseURL: upstream.url,
      apiKey: 'sk-upstream',
      log: line => lines.push(line),
    });

    expect(result.routed).toMatchObject({
      provider: 'anthropic',
      model: 'claude-sonnet-5',
      reason: 'default',
    });
    expect(result.stats.requestCount).toBe(2);
    expect(result.stats.totalCost).toBeGreaterThan(0);
    expect(result.customHeaders).toContain('x-synapse-project-id: web-app');
    expect(result.served).toMatchObject({ status: 200, route: 'default', projectId: 'web-app' });
    expect(result.served.text.replace(/^: conduit .*\n\n/gm, '')).toBe(
      readFixtureText('cc-response-text.sse'),
    );
    expect(result.served.metadata).toMatchObject({
      projectId: 'web-app',
      agentId: 'coder-1',
      usage: { inputTokens: 27 },
    });
    expect(result.served.metadata?.costUsd).toBeGreaterThan(0);

    // The upstream got the Synapse request with the configured key, and nothing else.
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]?.headers['x-api-key']).toBe('sk-upstream');
    expect(lines.some(line => line.startsWith('routed to anthropic,claude-sonnet-5'))).toBe(true);
  });
});
