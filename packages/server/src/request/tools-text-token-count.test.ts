import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type MockOpenAIProvider,
  readFixtureJSON,
  startMockOpenAIProvider,
} from '@conduit/test-utils';
import { type MessagesRequest, TokenCounter } from '@conduit/core';
import { singleProviderConfig, startTestGateway } from '../test-gateway.js';

const claudeCode = readFixtureJSON<MessagesRequest>('cc-hi-01-messages.json');

/** `message_start`'s `input_tokens` of an Anthropic SSE body. */
function messageStartInputTokens(body: string): number | undefined {
  const line = body.split('\n').find(text => text.includes('"type":"message_start"'));
  if (!line) return undefined;
  return JSON.parse(line.slice('data: '.length)).message.usage.input_tokens;
}

describe('a translated stream of a Claude Code conversation (tools resent every turn)', () => {
  let upstream: MockOpenAIProvider;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;

  beforeAll(async () => {
    upstream = await startMockOpenAIProvider();
    gateway = await startTestGateway(
      singleProviderConfig({
        name: 'mock',
        api_base_url: upstream.endpoint,
        models: ['mock-model'],
      }),
    );
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });

  it("estimates each turn's input tokens exactly as a fresh count does", async () => {
    const turns = ['first turn', 'second turn', 'third turn — ok', 'fourth'].map(text => ({
      ...claudeCode,
      stream: true,
      messages: [...claudeCode.messages, { role: 'user' as const, content: text }],
    }));
    for (const turn of turns) {
      const response = await fetch(`${gateway.baseURL}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify(turn),
      });
      expect(response.status).toBe(200);
      const inputTokens = messageStartInputTokens(await response.text());
      expect(inputTokens).toBe(new TokenCounter().countRequest(turn));
    }
  });
});
