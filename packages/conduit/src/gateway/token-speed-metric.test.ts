/**
 * CCR's `token-speed` plugin, end to end: with it in the config, a streamed answer through a real
 * gateway shows its output tokens per second on `/metrics` (`conduit_output_tokens_per_second`).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type MockOpenAIProvider,
  createOpenAIChunks,
  formatOpenAISSE,
  startMockOpenAIProvider,
} from '@conduit/test-utils';
import { startTestGateway } from './test-gateway.js';

function metricValue(text: string, line: string): number | undefined {
  const found = text.split('\n').find(row => row.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.split(' ').at(-1));
}

describe('token-speed', () => {
  let upstream: MockOpenAIProvider;

  beforeAll(async () => {
    upstream = await startMockOpenAIProvider();
    // 20 text pieces 20 ms apart: the stream takes measurable time between first and last byte.
    upstream.setDefaultResponder(() => ({
      type: 'sse',
      frames: formatOpenAISSE(
        createOpenAIChunks({
          text: 'y'.repeat(100),
          stop: 'end_turn',
          usage: { input: 5, output: 42 },
        }),
      ),
      frameDelayMs: 20,
    }));
  });
  afterAll(async () => {
    await upstream.close();
  });

  it('records output tokens per second of a streamed answer on /metrics', async () => {
    const gateway = await startTestGateway(
      {
        Providers: [
          { name: 'speedy', api_base_url: upstream.endpoint, api_key: 'k', models: ['m'] },
        ],
        Router: { default: 'speedy,m' },
        plugins: [{ name: 'token-speed', enabled: true, options: {} }],
      },
      { usage: false },
    );
    try {
      const response = await fetch(`${gateway.baseURL}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'claude-sonnet-4-5',
          max_tokens: 64,
          stream: true,
          messages: [{ role: 'user', content: 'how fast?' }],
        }),
      });
      expect(await response.text()).toContain('event: message_stop');
      const metrics = await (await fetch(`${gateway.baseURL}/metrics`)).text();
      const labels = '{provider="speedy",model="m"}';
      expect(metricValue(metrics, `conduit_output_tokens_per_second_count${labels}`)).toBe(1);
      const speed = metricValue(metrics, `conduit_output_tokens_per_second_sum${labels}`);
      // 42 tokens over the time from the first byte to the last: positive and finite.
      expect(speed).toBeGreaterThan(0);
      expect(Number.isFinite(speed)).toBe(true);
    } finally {
      await gateway.close();
    }
  });
});
