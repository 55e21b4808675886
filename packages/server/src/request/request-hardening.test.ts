import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RequestRoutingContext, RoutingContext, RoutingHooks } from '@conduit/core';
import {
  type MockAnthropicProvider,
  type MockOpenAIProvider,
  startMockAnthropicProvider,
  startMockOpenAIProvider,
} from '@conduit/test-utils';
import { singleProviderConfig, startTestGateway } from '../test-gateway.js';
import { maxRequestNestingDepth } from './parse-json-request.js';

type Gateway = Awaited<ReturnType<typeof startTestGateway>>;
type ErrorEnvelope = { type: string; error: { type: string; message: string } };

const baseBody = {
  model: 'claude-x',
  max_tokens: 16,
  messages: [{ role: 'user', content: 'hi' }],
};

/** A JSON text nesting `levels` objects inside `properties`, built as text (never as a deep value). */
function deepSchemaText(levels: number): string {
  return `${'{"type":"object","properties":{"a":'.repeat(levels)}{"type":"string"}${'}}'.repeat(levels)}`;
}

async function postRaw(baseURL: string, body: string) {
  const response = await fetch(`${baseURL}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: response.status, json: (await response.json()) as ErrorEnvelope };
}

async function sdkError(client: Anthropic, body: Record<string, unknown>) {
  try {
    await client.messages.create(body as never);
  } catch (error) {
    if (error instanceof Anthropic.APIError) return error;
    throw error;
  }
  throw new Error('the request was accepted');
}

describe.each([
  ['OpenAI-compatible', 'openai'],
  ['Anthropic passthrough', 'anthropic'],
] as const)('bad request bodies through the %s adapter', (_label, kind) => {
  let upstream: MockOpenAIProvider | MockAnthropicProvider;
  let gateway: Gateway;
  let client: Anthropic;

  beforeAll(async () => {
    upstream =
      kind === 'openai' ? await startMockOpenAIProvider() : await startMockAnthropicProvider();
    gateway = await startTestGateway(
      singleProviderConfig({
        name: 'upstream',
        api_base_url: kind === 'openai' ? `${upstream.url}/v1/chat/completions` : upstream.url,
        models: ['model-1'],
        ...(kind === 'anthropic' ? { transformer: { use: ['Anthropic'] } } : {}),
      }),
    );
    client = new Anthropic({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });

  it.each([
    ['null', null],
    ['a number', 7],
    ['a list holding null', [null]],
    ['a list holding a text block without text', [{ type: 'text' }]],
  ])(
    'refuses tool_result content that is %s with a 400 naming the field',
    async (_name, content) => {
      const error = await sdkError(client, {
        ...baseBody,
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content }] },
        ],
      });
      expect(error.status).toBe(400);
      expect(error.error).toMatchObject({
        type: 'error',
        error: { type: 'invalid_request_error' },
      });
      expect((error.error as ErrorEnvelope).error.message).toContain(
        'messages[2].content[0].content',
      );
      expect(upstream.requests).toHaveLength(0);
    },
  );

  it('refuses a tool_use block without an id', async () => {
    const error = await sdkError(client, {
      ...baseBody,
      messages: [{ role: 'assistant', content: [{ type: 'tool_use', name: 'f', input: {} }] }],
    });
    expect(error.status).toBe(400);
    expect((error.error as ErrorEnvelope).error.message).toContain('messages[0].content[0].id');
  });

  it(`refuses a tool input_schema nested thousands of levels deep with a 400 naming the limit`, async () => {
    const body = `{"model":"claude-x","max_tokens":16,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"deep","input_schema":${deepSchemaText(5000)}}]}`;
    const { status, json } = await postRaw(gateway.baseURL, body);
    expect(status).toBe(400);
    expect(json.error.type).toBe('invalid_request_error');
    expect(json.error.message).toContain(`${maxRequestNestingDepth} levels deep`);
  });

  it('refuses a body nested 200,000 levels deep (never a stack overflow)', async () => {
    const body = `{"model":"claude-x","max_tokens":16,"messages":[{"role":"user","content":"hi"}],"metadata":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    const { status, json } = await postRaw(gateway.baseURL, body);
    expect(status).toBe(400);
    expect(json.error.message).toContain('levels deep');
  });

  it('accepts a tool schema nested within the limit', async () => {
    upstream.replyWith({ text: 'ok', stop: 'end_turn' });
    const body = `{"model":"claude-x","max_tokens":16,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"deep","input_schema":${deepSchemaText(40)}}]}`;
    const { status } = await postRaw(gateway.baseURL, body);
    expect(status).toBe(200);
    upstream.reset();
  });

  it('refuses a body that gives "model" twice', async () => {
    const body =
      '{"model":"claude-cheap","max_tokens":16,"messages":[{"role":"user","content":"hi"}],"model":"claude-x"}';
    const { status, json } = await postRaw(gateway.baseURL, body);
    expect(status).toBe(400);
    expect(json.error).toEqual({
      type: 'invalid_request_error',
      message:
        'The request body gives the top-level key "model" more than once. Send each key once.',
    });
    expect(upstream.requests).toHaveLength(0);
  });

  it('still accepts the same key at different depths and escaped quotes in strings', async () => {
    upstream.replyWith({ text: 'ok', stop: 'end_turn' });
    const body = JSON.stringify({
      ...baseBody,
      metadata: { user_id: 'u', model: 'nested' },
      messages: [{ role: 'user', content: 'say \\"model\\": "x", {"model": 1}' }],
    });
    const { status } = await postRaw(gateway.baseURL, body);
    expect(status).toBe(200);
    upstream.reset();
  });
});

describe('beforeRouting changes reach the upstream on the Anthropic passthrough', () => {
  let upstream: MockAnthropicProvider;
  let gateway: Gateway;
  let client: Anthropic;
  let rewrite: (context: RequestRoutingContext) => RoutingContext = context => context;

  beforeAll(async () => {
    upstream = await startMockAnthropicProvider();
    const hooks: RoutingHooks = {
      beforeRouting: async context => rewrite(context as RequestRoutingContext),
      customRoute: async () => null,
      afterRouting: async decision => decision,
    };
    gateway = await startTestGateway(
      singleProviderConfig({
        name: 'claude',
        api_base_url: upstream.url,
        models: ['claude-upstream'],
        transformer: { use: ['Anthropic'] },
      }),
      { hooks },
    );
    client = new Anthropic({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('forwards a request the hook replaced', async () => {
    rewrite = context => ({
      ...context,
      request: { ...context.request, system: 'added by a plugin', temperature: 0.25 },
    });
    upstream.reset();
    upstream.replyWith({ text: 'ok', stop: 'end_turn' });
    await client.messages.create({ ...baseBody, messages: [{ role: 'user', content: 'hi' }] });
    expect(upstream.requests[0]?.json).toMatchObject({
      model: 'claude-upstream',
      system: 'added by a plugin',
      temperature: 0.25,
    });
  });

  it('forwards a request the hook changed in place', async () => {
    rewrite = context => {
      context.request.messages.push({ role: 'user', content: 'appended in place' });
      return context;
    };
    upstream.reset();
    upstream.replyWith({ text: 'ok', stop: 'end_turn' });
    await client.messages.create({ ...baseBody, messages: [{ role: 'user', content: 'hi' }] });
    const sent = upstream.requests[0]?.json as { messages: Array<{ content: string }> };
    expect(sent.messages.map(message => message.content)).toEqual(['hi', 'appended in place']);
  });
});
