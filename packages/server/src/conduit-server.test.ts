import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigError } from '@conduit/core';
import {
  type MockOpenAIProvider,
  listCountTokensFixtures,
  readFixtureText,
  startMockOpenAIProvider,
} from '@conduit/test-utils';
import { createConduitServer } from './conduit-server.js';
import type { RequestRecord } from './observer/request-observer.js';
import { singleProviderConfig, startTestGateway } from './test-gateway.js';

const messageBody = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    model: 'claude-x',
    max_tokens: 10,
    messages: [{ role: 'user', content: 'hi' }],
    ...extra,
  });

async function post(
  baseURL: string,
  path: string,
  body: string,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${baseURL}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  let json: { type?: string; error?: { type: string; message: string } } & Record<string, unknown> =
    {};
  try {
    json = JSON.parse(text);
  } catch {
    json = {};
  }
  return { response, text, json };
}

describe('ConduitServer without providers', () => {
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;

  beforeAll(async () => {
    gateway = await startTestGateway({});
  });
  afterAll(() => gateway.close());

  it('starts and explains how to add a provider', async () => {
    const { response, json } = await post(gateway.baseURL, '/v1/messages', messageBody());
    expect(response.status).toBe(400);
    expect(json.type).toBe('error');
    expect(json.error?.type).toBe('invalid_request_error');
    expect(json.error?.message).toContain('No providers are configured');
    expect(json.error?.message).toContain('"Providers"');
  });

  it('reports itself degraded with a warning', async () => {
    const health = await (await fetch(`${gateway.baseURL}/health`)).json();
    expect(health).toMatchObject({ status: 'degraded', providers: 0, url: gateway.baseURL });
    expect(gateway.server.getHealth().warnings[0]).toContain('No providers are configured');
  });

  it('lists no models', async () => {
    const list = await (await fetch(`${gateway.baseURL}/v1/models`)).json();
    expect(list).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
  });
});

describe('ConduitServer with an OpenAI-compatible provider', () => {
  let upstream: MockOpenAIProvider;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  const records: RequestRecord[] = [];

  beforeAll(async () => {
    upstream = await startMockOpenAIProvider();
    gateway = await startTestGateway(
      {
        ...singleProviderConfig({
          name: 'mock',
          api_base_url: upstream.endpoint,
          models: ['model-a', 'model-b'],
        }),
        server: { bodyLimit: 64 * 1024 },
      },
      { observer: { onRequestComplete: record => void records.push(record) } },
    );
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('answers GET /health, HEAD / and GET /', async () => {
    expect(await (await fetch(`${gateway.baseURL}/health`)).json()).toMatchObject({
      status: 'ok',
      providers: 1,
      models: 2,
      warnings: [],
    });
    const head = await fetch(`${gateway.baseURL}/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await (await fetch(`${gateway.baseURL}/`)).json()).toMatchObject({ message: 'Conduit' });
  });

  it('answers unknown paths with an Anthropic 404', async () => {
    const response = await fetch(`${gateway.baseURL}/v1/complete`, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error' },
    });
  });

  it('lists configured models in Anthropic shape, paginated, without keys', async () => {
    const response = await fetch(`${gateway.baseURL}/v1/models?limit=1000`);
    const text = await response.text();
    expect(text).not.toContain('sk-provider-secret');
    expect(JSON.parse(text)).toEqual({
      data: [
        {
          type: 'model',
          id: 'mock,model-a',
          display_name: 'model-a (mock)',
          created_at: expect.any(String),
        },
        {
          type: 'model',
          id: 'mock,model-b',
          display_name: 'model-b (mock)',
          created_at: expect.any(String),
        },
      ],
      has_more: false,
      first_id: 'mock,model-a',
      last_id: 'mock,model-b',
    });
    const firstPage = await (await fetch(`${gateway.baseURL}/v1/models?limit=1`)).json();
    expect(firstPage).toMatchObject({ has_more: true, last_id: 'mock,model-a' });
    const secondPage = await (
      await fetch(`${gateway.baseURL}/v1/models?limit=1&after_id=mock,model-a`)
    ).json();
    expect(secondPage).toMatchObject({ data: [{ id: 'mock,model-b' }], has_more: false });
    expect((await fetch(`${gateway.baseURL}/v1/models?limit=0`)).status).toBe(400);
  });

  it.each(listCountTokensFixtures())('counts tokens for %s', async fixture => {
    const { response, json } = await post(
      gateway.baseURL,
      '/v1/messages/count_tokens?beta=true',
      readFixtureText(fixture),
    );
    expect(response.status).toBe(200);
    expect(Object.keys(json)).toEqual(['input_tokens']);
    expect(Number.isInteger(json.input_tokens)).toBe(true);
    expect(json.input_tokens).toBeGreaterThan(0);
  });

  it.each<[string, string, string]>([
    ['invalid JSON', '{"model":', 'not valid JSON'],
    ['a JSON array', '[]', 'must be a JSON object'],
    ['missing max_tokens', JSON.stringify({ model: 'x', messages: [] }), 'max_tokens'],
    [
      'a bad role',
      JSON.stringify({ model: 'x', max_tokens: 1, messages: [{ role: 'robot', content: 'x' }] }),
      'messages[0].role',
    ],
  ])('rejects %s with a 400 naming the problem', async (_name, body, expected) => {
    const { response, json } = await post(gateway.baseURL, '/v1/messages', body);
    expect(response.status).toBe(400);
    expect(json.error?.type).toBe('invalid_request_error');
    expect(json.error?.message).toContain(expected);
  });

  it('answers an unknown explicit provider or model with 404 and the choices', async () => {
    const unknownModel = await post(
      gateway.baseURL,
      '/v1/messages',
      messageBody({ model: 'mock,model-z' }),
    );
    expect(unknownModel.response.status).toBe(404);
    expect(unknownModel.json.error?.type).toBe('not_found_error');
    expect(unknownModel.json.error?.message).toContain('mock,model-a');
    const unknownProvider = await post(
      gateway.baseURL,
      '/v1/messages',
      messageBody({ model: 'nobody,model-a' }),
    );
    expect(unknownProvider.response.status).toBe(404);
  });

  it('rejects bodies over server.bodyLimit with 413', async () => {
    const big = messageBody({ system: 'x'.repeat(70 * 1024) });
    const { response, json } = await post(gateway.baseURL, '/v1/messages', big);
    expect(response.status).toBe(413);
    expect(json.error?.type).toBe('request_too_large');
  });

  it.each([
    [401, 'authentication_error'],
    [403, 'permission_error'],
    [404, 'not_found_error'],
    [429, 'rate_limit_error'],
    [500, 'api_error'],
    [503, 'overloaded_error'],
    [529, 'overloaded_error'],
  ])('passes an upstream %d through as %s, without secrets', async (status, type) => {
    upstream.enqueue({
      type: 'json',
      status,
      body: { error: { message: `upstream refused key sk-provider-secret (${status})` } },
    });
    const { response, json, text } = await post(gateway.baseURL, '/v1/messages', messageBody());
    expect(response.status).toBe(status);
    expect(json.error?.type).toBe(type);
    expect(json.error?.message).toContain(`(${status})`);
    expect(text).not.toContain('sk-provider-secret');
    expect(text).not.toMatch(/\bat .*\.ts:\d+/);
    expect(response.headers.get('x-conduit-provider')).toBe('mock');
  });

  it('answers 502 when the upstream sends something that is not JSON', async () => {
    upstream.enqueue({ type: 'raw', body: '<html>oops</html>' });
    const { response, json } = await post(gateway.baseURL, '/v1/messages', messageBody());
    expect(response.status).toBe(502);
    expect(json.error?.type).toBe('api_error');
  });

  it('ends a stream cut mid-way with an error event', async () => {
    records.length = 0;
    upstream.enqueue({
      type: 'sse',
      frames: [
        'data: {"id":"c","choices":[{"delta":{"content":"par"}}]}\n\n',
        'data: {"id":"c","choices":[{"delta":{"content":"tial"}}]}\n\n',
      ],
      cutAfterFrames: 1,
    });
    const { response, text } = await post(
      gateway.baseURL,
      '/v1/messages',
      messageBody({ stream: true }),
    );
    expect(response.status).toBe(200);
    expect(text).toContain('event: message_start');
    expect(text).toContain('"text":"par"');
    expect(text.trimEnd().split('\n\n').at(-1)).toMatch(
      /^event: error\ndata: \{"type":"error","error":\{"type":"api_error"/,
    );
    expect(text).not.toContain('message_stop');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 200, streamed: true });
    expect(['stream_error', 'api_error']).toContain(records[0]?.errorType);
  });

  it('calls the observer exactly once per request, with timings and usage', async () => {
    records.length = 0;
    upstream.replyWith(
      { text: 'hi', stop: 'end_turn', usage: { input: 7, output: 2 } },
      { stream: false },
    );
    await post(gateway.baseURL, '/v1/messages', messageBody());
    await post(gateway.baseURL, '/v1/messages', '{');
    expect(records).toHaveLength(2);
    const [success, failure] = records;
    expect(success).toMatchObject({
      status: 200,
      errorType: null,
      streamed: false,
      usage: { input_tokens: 7, output_tokens: 2 },
      usageEstimated: false,
      stopReason: 'end_turn',
      decision: { provider: 'mock', model: 'model-a', reason: 'default' },
      servedBy: { provider: 'mock', model: 'model-a' },
      metadata: { requestedModel: 'claude-x', stream: false },
    });
    expect(success?.requestId).toMatch(/^req_/);
    expect(success?.ttfbMs).toBeGreaterThanOrEqual(0);
    expect(success?.upstreamMs).toBeGreaterThanOrEqual(0);
    expect(success?.latencyMs).toBeGreaterThanOrEqual(success?.upstreamMs ?? 0);
    expect(failure).toMatchObject({
      status: 400,
      errorType: 'invalid_request_error',
      decision: null,
      ttfbMs: null,
    });
  });

  it('cancels the upstream request when the client disconnects', async () => {
    records.length = 0;
    const closedBefore = upstream.requests.length;
    upstream.enqueue({
      type: 'sse',
      frames: Array.from(
        { length: 50 },
        (_unused, index) => `data: {"id":"c","choices":[{"delta":{"content":"${index} "}}]}\n\n`,
      ),
      frameDelayMs: 100,
    });
    const controller = new AbortController();
    const response = await fetch(`${gateway.baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: messageBody({ stream: true }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await upstream.waitForClosedConnections(closedBefore + 1);
    // Give the gateway a moment to record the end of the request.
    for (let attempt = 0; attempt < 50 && records.length === 0; attempt++) {
      await new Promise(resolve => setTimeout(resolve, 20));
    }
    expect(records).toHaveLength(1);
    expect(records[0]?.errorType).toBe('client_closed');
  });

  it('applies updateConfig to new requests and keeps the old config on errors', async () => {
    await gateway.server.updateConfig({ Router: { default: 'mock,model-b' } });
    upstream.reset();
    const switched = await post(gateway.baseURL, '/v1/messages', messageBody());
    expect(switched.response.headers.get('x-conduit-model')).toBe('model-b');
    expect(upstream.requests[0]?.json).toMatchObject({ model: 'model-b' });
    await expect(
      gateway.server.updateConfig({ Router: { default: 'ghost,model' } }),
    ).rejects.toThrow(ConfigError);
    await expect(
      gateway.server.updateConfig({
        Providers: [
          {
            name: 'mock',
            api_base_url: upstream.endpoint,
            models: ['model-a'],
            transformer: { use: ['no-such-transformer'] } as never,
          },
        ],
      }),
    ).rejects.toThrow('unknown transformer "no-such-transformer"');
    expect(gateway.server.config.Router.default).toBe('mock,model-b');
    await gateway.server.updateConfig({ Router: { default: 'mock,model-a' } });
  });

  it('routes like /v1/messages through route()', async () => {
    const decision = await gateway.server.route({
      request: { model: 'mock,model-b', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] },
    });
    expect(decision).toMatchObject({ provider: 'mock', model: 'model-b', reason: 'explicit' });
  });
});

describe('ConduitServer start-up', () => {
  it('refuses unknown transformer names at creation, listing the known ones', () => {
    expect(() =>
      createConduitServer({
        Providers: [
          {
            name: 'p',
            api_base_url: 'http://127.0.0.1:1/v1/chat/completions',
            models: ['m'],
            transformer: { use: ['no-such-transformer'] } as never,
          },
        ],
        Router: { default: 'p,m' },
      }),
    ).toThrow(/unknown transformer "no-such-transformer".*Anthropic, .*OpenAI, .*reasoning/s);
  });

  it('answers 502 when the upstream is unreachable', async () => {
    const gateway = await startTestGateway(
      singleProviderConfig({
        name: 'down',
        api_base_url: 'http://127.0.0.1:9/v1/chat/completions',
        models: ['m'],
      }),
    );
    try {
      const { response, json } = await post(gateway.baseURL, '/v1/messages', messageBody());
      expect(response.status).toBe(502);
      expect(json.error?.type).toBe('api_error');
      expect(json.error?.message).toContain('Could not reach provider "down"');
    } finally {
      await gateway.close();
    }
  });

  it('reports a taken port clearly', async () => {
    const first = await startTestGateway({});
    try {
      const port = Number(new URL(first.baseURL).port);
      const second = createConduitServer({});
      await expect(second.start({ port, host: '127.0.0.1' })).rejects.toThrow(
        `Port ${port} on 127.0.0.1 is already in use`,
      );
    } finally {
      await first.close();
    }
  });
});
