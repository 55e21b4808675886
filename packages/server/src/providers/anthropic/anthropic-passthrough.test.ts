import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  adapterContractGatewayConfig,
  type MockAnthropicProvider,
  listMessagesFixtures,
  readFixtureIndex,
  readFixtureText,
  runAdapterContract,
  startMockAnthropicProvider,
} from '@conduit/test-utils';
import type { RequestRecord } from '../../observer/request-observer.js';
import { singleProviderConfig, startTestGateway } from '../../test-gateway.js';

runAdapterContract({
  name: 'anthropic',
  createProvider: async () => {
    const upstream = await startMockAnthropicProvider();
    const gateway = await startTestGateway(
      singleProviderConfig(
        {
          name: 'claude',
          api_base_url: upstream.endpoint,
          models: ['claude-sonnet-4-5'],
        },
        adapterContractGatewayConfig,
      ),
    );
    return {
      baseURL: gateway.baseURL,
      upstream: {
        requests: upstream.requests,
        replyWith: (answer, options) => upstream.replyWith(answer, options),
        replyWithError: (status, message, headers) =>
          upstream.enqueue({
            type: 'json',
            status,
            headers,
            body: { type: 'error', error: { type: 'rate_limit_error', message } },
          }),
      },
      close: async () => {
        await gateway.close();
        await upstream.close();
      },
    };
  },
});

describe('Anthropic passthrough', () => {
  let upstream: MockAnthropicProvider;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  const records: RequestRecord[] = [];
  const index = readFixtureIndex();

  beforeAll(async () => {
    upstream = await startMockAnthropicProvider();
    gateway = await startTestGateway(
      singleProviderConfig({
        name: 'claude',
        api_base_url: upstream.url,
        models: ['claude-upstream'],
        transformer: { use: ['Anthropic'] },
      }),
      { observer: { onRequestComplete: record => void records.push(record) } },
    );
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });

  describe.each(listMessagesFixtures())('Claude Code fixture %s', fixture => {
    it('arrives byte for byte apart from the model, with the provider key only', async () => {
      const text = readFixtureText(fixture);
      const entry = index.get(fixture)!;
      const originalModel = (JSON.parse(text) as { model: string }).model;
      upstream.reset();
      const headers = new Headers(entry.headers);
      for (const name of ['host', 'connection', 'accept-encoding', 'content-length'])
        headers.delete(name);
      const response = await fetch(`${gateway.baseURL}${entry.url}`, {
        method: 'POST',
        headers,
        body: text,
      });
      const answer = await response.text();
      expect(response.status).toBe(200);
      const received = upstream.requests[0]!;
      // The model is the first key of every Claude Code body, so this replaces the top-level one.
      const expected = text.replace(
        `"model": ${JSON.stringify(originalModel)}`,
        '"model": "claude-upstream"',
      );
      expect(expected).not.toBe(text);
      expect(received.rawBody).toBe(expected);
      expect(received.path).toBe('/v1/messages');
      expect(received.headers['x-api-key']).toBe('sk-provider-secret');
      expect(received.headers.authorization).toBeUndefined();
      expect(received.headers['anthropic-version']).toBe(entry.headers['anthropic-version']);
      expect(received.headers['anthropic-beta']).toBe(entry.headers['anthropic-beta']);
      expect(received.headers['x-claude-code-session-id']).toBeUndefined();
      const expectedAnswer = entry.stream
        ? readFixtureText('cc-response-text.sse')
        : readFixtureText('cc-response-nonstream.json');
      expect(answer).toBe(expectedAnswer);
    });
  });

  it('pipes the stream through unchanged and reads its usage', async () => {
    records.length = 0;
    upstream.replyWithFixture('cc-response-thinking-tool_use.sse');
    const response = await fetch(`${gateway.baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sk-client' },
      body: JSON.stringify({
        model: 'm',
        max_tokens: 5,
        stream: true,
        messages: [{ role: 'user', content: 'go' }],
      }),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    expect(response.headers.get('x-conduit-provider')).toBe('claude');
    expect(response.headers.get('x-conduit-model')).toBe('claude-upstream');
    expect(response.headers.get('x-conduit-route')).toBe('default');
    expect(await response.text()).toBe(readFixtureText('cc-response-thinking-tool_use.sse'));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      status: 200,
      streamed: true,
      errorType: null,
      stopReason: 'tool_use',
      usageEstimated: false,
      usage: {
        input_tokens: 54,
        output_tokens: 82,
        cache_read_input_tokens: 0,
        cache_creation_input_tokens: 0,
      },
      servedBy: { provider: 'claude', model: 'claude-upstream' },
    });
  });

  it('is read by the official SDK (thinking, text, tool_use)', async () => {
    upstream.replyWithFixture('cc-response-thinking-tool_use.sse');
    const client = new Anthropic({ baseURL: gateway.baseURL, apiKey: 'sk-client', maxRetries: 0 });
    const message = await client.messages
      .stream({
        model: 'claude-opus-4-8',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'go' }],
      })
      .finalMessage();
    expect(message.content.map(block => block.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect(message.content[2]).toMatchObject({
      name: 'Bash',
      input: { command: 'echo hello-from-fake-tool', description: 'Print a greeting' },
    });
  });

  it('uses Authorization: Bearer with UseBearer', async () => {
    const bearerGateway = await startTestGateway(
      singleProviderConfig({
        name: 'claude',
        api_base_url: upstream.endpoint,
        models: ['claude-upstream'],
        transformer: { use: [['Anthropic', { UseBearer: true }]] },
      }),
    );
    try {
      upstream.reset();
      await fetch(`${bearerGateway.baseURL}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer client-token' },
        body: JSON.stringify({
          model: 'm',
          max_tokens: 5,
          messages: [{ role: 'user', content: 'go' }],
        }),
      }).then(response => response.text());
      expect(upstream.requests[0]?.headers.authorization).toBe('Bearer sk-provider-secret');
      expect(upstream.requests[0]?.headers['x-api-key']).toBeUndefined();
    } finally {
      await bearerGateway.close();
    }
  });

  it('re-serializes when the router strips a subagent tag', async () => {
    upstream.reset();
    const body = {
      model: 'claude-haiku',
      max_tokens: 5,
      system: [
        { type: 'text', text: 'billing' },
        {
          type: 'text',
          text: '<CCR-SUBAGENT-MODEL>claude,claude-upstream</CCR-SUBAGENT-MODEL>You are a helper.',
        },
      ],
      messages: [{ role: 'user', content: 'go' }],
    };
    const response = await fetch(`${gateway.baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await response.text();
    expect(response.headers.get('x-conduit-route')).toBe('subagent');
    expect(upstream.requests[0]?.json).toMatchObject({
      model: 'claude-upstream',
      system: [{ text: 'billing' }, { text: 'You are a helper.' }],
    });
  });
});
