import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Anthropic from '@anthropic-ai/sdk';
import type { ServerRoute } from '@conduit/core';
import {
  type MockAnthropicProvider,
  type MockOpenAIProvider,
  startMockAnthropicProvider,
  startMockOpenAIProvider,
} from '@conduit/test-utils';
import { createConduitServer } from '../conduit-server.js';
import { startTestGateway } from '../test-gateway.js';

const clientKey = 'conduit-inbound-key-0123456789';

/** A GET with a chosen Host header (fetch always sends the URL's host). */
function rawGet(port: number, path: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', chunk => {
      answer += chunk.toString();
    });
    socket.on('error', reject);
    socket.on('end', () => resolve(answer));
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  });
}
const providerKey = 'sk-provider-secret-abcdef123456';
const message = { model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };

const metricsRoute: ServerRoute = {
  method: 'GET',
  path: '/metrics',
  handler: () => new Response('# metrics\n', { headers: { 'content-type': 'text/plain' } }),
};
const usageRoute: ServerRoute = {
  method: 'GET',
  path: '/api/usage',
  handler: () => Response.json({ totals: {} }),
};

describe('inbound API key', () => {
  let upstream: MockOpenAIProvider;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;

  beforeAll(async () => {
    upstream = await startMockOpenAIProvider();
    gateway = await startTestGateway(
      {
        APIKEY: clientKey,
        Providers: [
          { name: 'mock', api_base_url: upstream.endpoint, api_key: providerKey, models: ['m'] },
        ],
        Router: { default: 'mock,m' },
      },
      // Extension routes, as `@conduit/monitoring` plugs in `/metrics` and `/api/usage`.
      { extensions: [{ name: 'monitoring-stand-in', routes: [metricsRoute, usageRoute] }] },
    );
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('accepts the key as x-api-key and as Authorization: Bearer (official SDK)', async () => {
    const viaApiKey = new Anthropic({ baseURL: gateway.baseURL, apiKey: clientKey, maxRetries: 0 });
    const viaToken = new Anthropic({
      baseURL: gateway.baseURL,
      apiKey: null,
      authToken: clientKey,
      maxRetries: 0,
    });
    const first = await viaApiKey.messages.create(message as never);
    const second = await viaToken.messages.stream(message as never).finalMessage();
    expect(first.content[0]).toMatchObject({ type: 'text', text: 'Hello from the mock.' });
    expect(second.content[0]).toMatchObject({ type: 'text', text: 'Hello from the mock.' });
  });

  it('rejects a wrong or missing key with a 401 authentication_error', async () => {
    const wrong = new Anthropic({ baseURL: gateway.baseURL, apiKey: 'nope', maxRetries: 0 });
    const error = await wrong.messages.create(message as never).catch(caught => caught);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(error.status).toBe(401);
    expect(error.error).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'Invalid API key.' },
    });
    const missing = await fetch(`${gateway.baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
    });
    expect(missing.status).toBe(401);
    const body = (await missing.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('authentication_error');
    expect(body.error.message).toContain('x-api-key');
    expect(body.error.message).toContain('Authorization: Bearer');
  });

  it('protects every endpoint except / and the /health liveness answer', async () => {
    const status = async (method: string, path: string, headers: Record<string, string> = {}) =>
      (await fetch(`${gateway.baseURL}${path}`, { method, headers })).status;
    expect(await status('GET', '/v1/models')).toBe(401);
    expect(await status('POST', '/v1/messages/count_tokens')).toBe(401);
    expect(await status('GET', '/api/usage')).toBe(401);
    expect(await status('GET', '/nowhere')).toBe(401);
    expect(await status('GET', '/health/ready')).toBe(401);
    expect(await status('GET', '/metrics')).toBe(401);
    expect(await status('HEAD', '/')).toBe(200);
    expect(await status('GET', '/health')).toBe(200);
    expect(await status('GET', '/v1/models', { authorization: `Bearer ${clientKey}` })).toBe(200);
    expect(await status('GET', '/v1/models', { authorization: clientKey })).toBe(200);
    expect(await status('GET', '/health/ready', { 'x-api-key': clientKey })).toBe(200);
  });

  it('answers /health without the key with liveness only, and in full with it', async () => {
    const anonymous = await fetch(`${gateway.baseURL}/health`);
    expect(await anonymous.json()).toEqual({ status: 'ok' });
    const detailed = await fetch(`${gateway.baseURL}/health`, {
      headers: { 'x-api-key': clientKey },
    });
    expect(await detailed.json()).toMatchObject({
      status: 'ok',
      providers: 1,
      checks: expect.any(Array),
    });
    const wrongKey = await fetch(`${gateway.baseURL}/health`, { headers: { 'x-api-key': 'nope' } });
    expect(await wrongKey.json()).toEqual({ status: 'ok' });
  });

  it('opens the detailed health with server.publicHealth', async () => {
    await gateway.server.updateConfig({ server: { publicHealth: true } });
    try {
      expect(await (await fetch(`${gateway.baseURL}/health`)).json()).toMatchObject({
        providers: 1,
      });
      expect((await fetch(`${gateway.baseURL}/health/ready`)).status).toBe(200);
    } finally {
      await gateway.server.updateConfig({ server: { publicHealth: false } });
    }
  });

  it('puts /metrics behind the key unless server.metricsAuth is false', async () => {
    expect((await fetch(`${gateway.baseURL}/metrics`)).status).toBe(401);
    const authorized = await fetch(`${gateway.baseURL}/metrics`, {
      headers: { 'x-api-key': clientKey },
    });
    expect(authorized.status).toBe(200);
    expect(authorized.headers.get('content-type')).toContain('text/plain');
    await gateway.server.updateConfig({ server: { metricsAuth: false } });
    try {
      expect((await fetch(`${gateway.baseURL}/metrics`)).status).toBe(200);
    } finally {
      await gateway.server.updateConfig({ server: { metricsAuth: undefined } });
    }
  });

  it('rejects a non-boolean server.metricsAuth', async () => {
    await expect(gateway.server.updateConfig({ server: { metricsAuth: 'yes' } })).rejects.toThrow(
      /server\.metricsAuth: must be true or false/,
    );
  });
});

describe('binding', () => {
  it.each(['0.0.0.0', '::', '192.168.1.20'])(
    'refuses to listen on %s without APIKEY, saying how to fix it',
    async host => {
      const server = createConduitServer({});
      const error = await server.start({ port: 0, host }).catch(caught => caught);
      expect(error.name).toBe('InsecureBindError');
      expect(error.message).toContain(`Refusing to listen on ${host} without an API key`);
      expect(error.message).toContain('"APIKEY"');
      expect(error.message).toContain('127.0.0.1');
      expect(server.url).toBeNull();
      await server.stop();
    },
  );

  it('refuses requests whose Host is not loopback on a loopback bind (DNS rebinding)', async () => {
    const gateway = await startTestGateway({});
    try {
      const { port } = new URL(gateway.baseURL);
      const answer = await rawGet(Number(port), '/api/usage', 'attacker.example:80');
      expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 403 Forbidden');
      expect(answer).toContain('permission_error');
      expect(answer).toContain('attacker.example');
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost']) {
        expect((await rawGet(Number(port), '/health', host)).split('\r\n')[0]).toBe(
          'HTTP/1.1 200 OK',
        );
      }
      // Still refused after loopback hosts were let through (the guard remembers the last good one).
      const again = await rawGet(Number(port), '/api/usage', 'attacker.example:80');
      expect(again.split('\r\n')[0]).toBe('HTTP/1.1 403 Forbidden');
    } finally {
      await gateway.close();
    }
  });

  it('lets any Host through on a loopback bind with APIKEY (a local reverse proxy), key required', async () => {
    const gateway = await startTestGateway({ APIKEY: clientKey });
    try {
      const { port } = new URL(gateway.baseURL);
      const answer = await rawGet(Number(port), '/api/usage', 'conduit.internal.example');
      expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 401 Unauthorized');
      expect(answer).toContain('authentication_error');
    } finally {
      await gateway.close();
    }
  });

  it('refuses a reload that drops APIKEY while listening on a public address', async () => {
    const server = createConduitServer({ APIKEY: clientKey });
    const address = await server.start({ port: 0, host: '0.0.0.0' });
    try {
      await expect(server.updateConfig({ APIKEY: undefined })).rejects.toThrow(
        /no "APIKEY", but Conduit listens on 0\.0\.0\.0/,
      );
      expect(server.config.APIKEY).toBe(clientKey);
      const answer = await fetch(`http://127.0.0.1:${address.port}/v1/models`);
      expect(answer.status).toBe(401);
    } finally {
      await server.stop();
    }
  });

  it('listens on loopback without a key', async () => {
    const gateway = await startTestGateway({});
    expect(gateway.baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await gateway.close();
  });
});

describe('CORS and browser origins', () => {
  const preflight = (baseURL: string, origin: string) =>
    fetch(`${baseURL}/v1/messages`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-api-key',
      },
    });

  it('sends no CORS headers by default and refuses foreign origins when there is no APIKEY', async () => {
    const gateway = await startTestGateway({});
    try {
      const foreign = await fetch(`${gateway.baseURL}/v1/models`, {
        headers: { origin: 'https://evil.example' },
      });
      expect(foreign.status).toBe(403);
      expect(((await foreign.json()) as { error: { type: string } }).error.type).toBe(
        'permission_error',
      );
      const local = await fetch(`${gateway.baseURL}/v1/models`, {
        headers: { origin: 'http://localhost:5173' },
      });
      expect(local.status).toBe(200);
      expect(local.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await gateway.close();
    }
  });

  it('refuses server.cors: true without APIKEY (any web page could spend the credits)', () => {
    expect(() => createConduitServer({ server: { cors: true } })).toThrow(
      /server\.cors[\s\S]*set "APIKEY", or list the allowed origins/,
    );
  });

  it('reflects any origin with server.cors: true', async () => {
    const gateway = await startTestGateway({ APIKEY: clientKey, server: { cors: true } });
    try {
      const response = await preflight(gateway.baseURL, 'https://app.example');
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example');
      const get = await fetch(`${gateway.baseURL}/v1/models`, {
        headers: { origin: 'https://app.example' },
      });
      expect(get.headers.get('access-control-allow-origin')).toBe('https://app.example');
      // A browser client may read how many upstream attempts an answer took.
      expect(get.headers.get('access-control-expose-headers')).toContain('x-conduit-attempts');
    } finally {
      await gateway.close();
    }
  });

  it('allows only the listed origins', async () => {
    const gateway = await startTestGateway({
      APIKEY: clientKey,
      server: { cors: ['https://good.example'] },
    });
    try {
      const good = await preflight(gateway.baseURL, 'https://good.example');
      expect(good.headers.get('access-control-allow-origin')).toBe('https://good.example');
      const bad = await preflight(gateway.baseURL, 'https://bad.example');
      expect(bad.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await gateway.close();
    }
  });
});

describe('credentials and secrets', () => {
  let openai: MockOpenAIProvider;
  let anthropic: MockAnthropicProvider;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  const lines: string[] = [];
  const capture =
    (level: string) =>
    (text: string, details?: Record<string, unknown>): void => {
      lines.push(`${level} ${text} ${details === undefined ? '' : JSON.stringify(details)}`);
    };
  const logger = {
    trace: capture('trace'),
    debug: capture('debug'),
    info: capture('info'),
    warn: capture('warn'),
    error: capture('error'),
  };
  const anthropicKey = 'sk-ant-provider-key-9876543210';

  beforeAll(async () => {
    openai = await startMockOpenAIProvider();
    anthropic = await startMockAnthropicProvider();
    gateway = await startTestGateway(
      {
        APIKEY: clientKey,
        Providers: [
          { name: 'openai', api_base_url: openai.endpoint, api_key: providerKey, models: ['m'] },
          {
            name: 'claude',
            api_base_url: `${anthropic.url}/v1/messages`,
            api_key: anthropicKey,
            models: ['claude-sonnet'],
          },
          {
            name: 'down',
            api_base_url: 'http://127.0.0.1:9/v1/chat/completions',
            api_key: 'sk-unreachable-provider-key-42',
            models: ['m'],
          },
        ],
        Router: { default: 'openai,m' },
      },
      { logger },
    );
  });
  afterAll(async () => {
    await gateway.close();
    await openai.close();
    await anthropic.close();
  });

  it('never forwards the client credentials and never reveals a provider key', async () => {
    const headers = {
      'content-type': 'application/json',
      'x-api-key': clientKey,
      authorization: `Bearer ${clientKey}`,
      cookie: 'session=browser-cookie-value',
    };
    const bodies: Array<[string, string, unknown]> = [
      ['POST', '/v1/messages', message],
      ['POST', '/v1/messages', { ...message, stream: true }],
      ['POST', '/v1/messages', { ...message, model: 'claude,claude-sonnet' }],
      ['POST', '/v1/messages', { ...message, model: 'claude,claude-sonnet', stream: true }],
      ['POST', '/v1/messages', { ...message, model: 'down,m' }],
      ['POST', '/v1/messages', { ...message, model: 'nowhere,m' }],
      ['POST', '/v1/messages', { max_tokens: 'bad' }],
      ['POST', '/v1/messages/count_tokens', { model: 'x', messages: message.messages }],
      ['GET', '/v1/models', undefined],
      ['GET', '/health', undefined],
      ['GET', '/health/ready', undefined],
      ['GET', '/metrics', undefined],
      ['GET', '/api/usage', undefined],
      ['GET', '/', undefined],
      ['GET', '/nowhere', undefined],
    ];
    // An upstream that echoes the key it was sent, as OpenAI's 401 does.
    openai.enqueue({
      type: 'json',
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${providerKey}` } },
    });
    bodies.splice(1, 0, ['POST', '/v1/messages', message]);
    const answers: string[] = [];
    for (const [method, path, body] of bodies) {
      const response = await fetch(`${gateway.baseURL}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      answers.push(`${path} ${response.status} ${JSON.stringify([...response.headers])}`);
      answers.push(await response.text());
    }
    const secrets = [providerKey, anthropicKey, 'sk-unreachable-provider-key-42', clientKey];
    const everything = [...answers, ...lines].join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(answers.join('\n')).toContain('Incorrect API key provided: [redacted]');
    expect(lines.some(line => line.startsWith('debug'))).toBe(true);

    const upstreamRequests = [...openai.requests, ...anthropic.requests];
    expect(upstreamRequests.length).toBeGreaterThanOrEqual(4);
    for (const request of upstreamRequests) {
      const sent = JSON.stringify(request.headers);
      expect(sent).not.toContain(clientKey);
      expect(sent).not.toContain('browser-cookie-value');
    }
    expect(openai.requests[0]!.headers.authorization).toBe(`Bearer ${providerKey}`);
    expect(anthropic.requests[0]!.headers['x-api-key']).toBe(anthropicKey);
  });
});
