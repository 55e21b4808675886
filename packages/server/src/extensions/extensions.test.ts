import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Anthropic from '@anthropic-ai/sdk';
import {
  type MockOpenAIProvider,
  createOpenAIChunks,
  formatOpenAISSE,
  startMockOpenAIProvider,
} from '@conduit/test-utils';
import { singleProviderConfig, startTestGateway } from '../test-gateway.js';
import type { ResponseHookInput } from './response-hooks.js';

const message = { model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };
const clientKey = 'extension-test-inbound-key';

describe('extensions and response hooks', () => {
  let upstream: MockOpenAIProvider;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  const seen: ResponseHookInput[] = [];
  const finalOutcomes: unknown[] = [];

  beforeAll(async () => {
    upstream = await startMockOpenAIProvider();
    gateway = await startTestGateway(
      singleProviderConfig(
        { name: 'mock', api_base_url: upstream.endpoint, models: ['m'] },
        { APIKEY: clientKey },
      ),
      {
        extensions: [
          (app, server) => {
            app.get('/api/extension/status', context =>
              context.json({ default: server.config.Router.default, url: server.url }),
            );
          },
        ],
        responseHooks: {
          headers: input => {
            seen.push(input);
            return { 'x-extension-agent': String(input.metadata.agentId ?? 'none') };
          },
          transformStream: input =>
            new TransformStream<Uint8Array, Uint8Array>({
              flush(controller) {
                const outcome = input.getOutcome();
                finalOutcomes.push(outcome);
                const comment = `: extension ${JSON.stringify({ output: outcome.usage?.output_tokens })}\n\n`;
                controller.enqueue(new TextEncoder().encode(comment));
              },
            }),
        },
      },
    );
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('mounts extension routes behind the API key, before the 404 catch-all', async () => {
    expect((await fetch(`${gateway.baseURL}/api/extension/status`)).status).toBe(401);
    const response = await fetch(`${gateway.baseURL}/api/extension/status`, {
      headers: { 'x-api-key': clientKey },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ default: 'mock,m', url: gateway.baseURL });
    const missing = await fetch(`${gateway.baseURL}/api/extension/other`, {
      headers: { 'x-api-key': clientKey },
    });
    expect(missing.status).toBe(404);
  });

  it('adds hook headers and passes the decision and metadata', async () => {
    const client = new Anthropic({ baseURL: gateway.baseURL, apiKey: clientKey, maxRetries: 0 });
    const { response } = await client.messages
      .create(message as never, { headers: { 'x-claude-code-agent-id': 'agent-7' } })
      .withResponse();
    expect(response.headers.get('x-extension-agent')).toBe('agent-7');
    expect(response.headers.get('x-conduit-provider')).toBe('mock');
    const input = seen.at(-1)!;
    expect(input).toMatchObject({
      streamed: false,
      servedBy: { provider: 'mock', model: 'm' },
      decision: { provider: 'mock', model: 'm' },
    });
    expect(input.requestId).toBe(response.headers.get('x-conduit-request-id'));
    expect(input.getOutcome().usage).toMatchObject({ output_tokens: 5 });
  });

  it('transforms the stream; the SDK ignores the added SSE comment', async () => {
    const client = new Anthropic({ baseURL: gateway.baseURL, apiKey: clientKey, maxRetries: 0 });
    const final = await client.messages.stream(message as never).finalMessage();
    expect(final.content[0]).toMatchObject({ type: 'text', text: 'Hello from the mock.' });
    expect(finalOutcomes.at(-1)).toMatchObject({ usage: { output_tokens: 5 } });
    const raw = await fetch(`${gateway.baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': clientKey },
      body: JSON.stringify({ ...message, stream: true }),
    });
    const text = await raw.text();
    expect(text.trimEnd().endsWith(': extension {"output":5}')).toBe(true);
    expect(text).toContain('event: message_stop');
  });

  it('isolates a throwing hook: the response goes out without it', async () => {
    const failing = await startTestGateway(
      singleProviderConfig({ name: 'mock', api_base_url: upstream.endpoint, models: ['m'] }),
      {
        responseHooks: {
          headers: () => {
            throw new Error('hook bug');
          },
          transformStream: () => {
            throw new Error('hook bug');
          },
        },
      },
    );
    try {
      const client = new Anthropic({ baseURL: failing.baseURL, apiKey: 'x', maxRetries: 0 });
      await expect(client.messages.create(message as never)).resolves.toBeDefined();
      const final = await client.messages.stream(message as never).finalMessage();
      expect(final.stop_reason).toBe('end_turn');
    } finally {
      await failing.close();
    }
  });
});

describe('stop() past the shutdown deadline', () => {
  it('ends streams still running with an event: error and resolves', async () => {
    const upstream = await startMockOpenAIProvider();
    const chunks = createOpenAIChunks({ text: 'abcdefghij'.repeat(5), stop: 'end_turn' });
    upstream.setDefaultResponder(() => ({
      type: 'sse',
      frames: formatOpenAISSE(chunks),
      frameDelayMs: 1000,
    }));
    const gateway = await startTestGateway(
      singleProviderConfig({ name: 'slow', api_base_url: upstream.endpoint, models: ['m'] }),
    );
    try {
      const response = await fetch(`${gateway.baseURL}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...message, stream: true }),
      });
      const reader = response.body!.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toContain('message_start');
      const stopped = gateway.server.stop({ timeoutMs: 200 });
      let text = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      await stopped;
      expect(text).toContain('event: error');
      expect(text).toContain('Conduit is shutting down');
      expect(text).not.toContain('message_stop');
    } finally {
      await gateway.close();
      await upstream.close();
    }
  }, 20000);

  it('answers requests arriving on an open connection while draining with 503', async () => {
    const upstream = await startMockOpenAIProvider();
    upstream.setDefaultResponder(() => ({
      type: 'sse',
      frames: formatOpenAISSE(createOpenAIChunks({ text: 'slow', stop: 'end_turn' })),
      frameDelayMs: 300,
    }));
    const gateway = await startTestGateway(
      singleProviderConfig({ name: 'slow', api_base_url: upstream.endpoint, models: ['m'] }),
    );
    try {
      const streaming = await fetch(`${gateway.baseURL}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...message, stream: true }),
      });
      const stopped = gateway.server.stop({ timeoutMs: 10000 });
      const drained = await gateway.server.app.request('/v1/models');
      expect(drained.status).toBe(503);
      expect(drained.headers.get('connection')).toBe('close');
      expect(((await drained.json()) as { error: { message: string } }).error.message).toContain(
        'shutting down',
      );
      expect((await gateway.server.app.request('/health')).status).toBe(200);
      const ready = await gateway.server.app.request('/health/ready', {
        headers: { 'x-api-key': clientKey },
      });
      expect(ready.status).toBe(503);
      expect(await streaming.text()).toContain('message_stop');
      await stopped;
    } finally {
      await gateway.close();
      await upstream.close();
    }
  }, 20000);
});
