import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import type { ConduitConfigInput } from '@conduit/core';
import {
  type MockOpenAIProvider,
  createOpenAIChunks,
  formatOpenAISSE,
  startMockOpenAIProvider,
} from '@conduit/test-utils';
import { startTestGateway } from '../test-gateway.js';
import { type ResilienceClock, systemClock } from './resilience-clock.js';
import type { RetryEvent } from './resilience-events.js';

type Gateway = Awaited<ReturnType<typeof startTestGateway>>;

const params = {
  model: 'claude-resilience-test',
  max_tokens: 20,
  messages: [{ role: 'user' as const, content: 'hi' }],
};

const streamFrames = formatOpenAISSE(
  createOpenAIChunks({ text: 'streamed answer', stop: 'end_turn', usage: { input: 3, output: 2 } }),
);

const slowCompletion = {
  id: 'chatcmpl-slow',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [
    { index: 0, message: { role: 'assistant', content: 'late but fine' }, finish_reason: 'stop' },
  ],
};

function clientFor(gateway: Gateway, timeout = 15_000): Anthropic {
  return new Anthropic({ baseURL: gateway.baseURL, apiKey: 'sk-client', maxRetries: 0, timeout });
}

function config(
  primary: MockOpenAIProvider | string,
  backup: MockOpenAIProvider,
  resilience: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): ConduitConfigInput {
  return {
    Providers: [
      {
        name: 'primary',
        api_base_url: typeof primary === 'string' ? primary : primary.endpoint,
        models: ['p-model'],
        api_keys: ['key-a', 'key-b', 'key-c'],
      },
      { name: 'backup', api_base_url: backup.endpoint, models: ['b-model'], api_key: 'key-z' },
    ],
    Router: { default: 'primary,p-model' },
    fallback: { default: ['backup,b-model'] },
    resilience: {
      retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 3000 },
      circuitBreaker: { enabled: false },
      timeouts: { connectMs: 500, firstByteMs: 400, idleMs: 400, totalMs: 8000 },
      ...resilience,
    },
    ...extra,
  } as ConduitConfigInput;
}

async function rawPost(gateway: Gateway, body: Record<string, unknown>) {
  const response = await fetch(`${gateway.baseURL}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'sk-client' },
    body: JSON.stringify({ ...params, ...body }),
  });
  return { response, text: await response.text() };
}

const keysSeen = (upstream: MockOpenAIProvider) =>
  upstream.requests.map(request => request.headers.authorization);

describe('resilience through the gateway (mock upstreams on 127.0.0.1)', () => {
  let primary: MockOpenAIProvider;
  let backup: MockOpenAIProvider;
  let gateway: Gateway;
  let client: Anthropic;
  const retries: RetryEvent[] = [];

  beforeAll(async () => {
    primary = await startMockOpenAIProvider();
    backup = await startMockOpenAIProvider();
    gateway = await startTestGateway(config(primary, backup), {
      resilienceEvents: { onRetry: event => retries.push(event) },
    });
    client = clientFor(gateway);
  });
  afterAll(async () => {
    await gateway.close();
    await primary.close();
    await backup.close();
  });
  const reset = () => {
    primary.reset();
    backup.reset();
    retries.length = 0;
  };

  it('retries a 500 and serves from the same target, reporting the attempts', async () => {
    reset();
    primary.enqueue({ type: 'json', status: 500, body: { error: { message: 'boom' } } });
    const { data, response } = await client.messages.create(params).withResponse();
    expect(data.content[0]).toMatchObject({ type: 'text', text: 'Hello from the mock.' });
    expect(response.headers.get('x-conduit-provider')).toBe('primary');
    expect(response.headers.get('x-conduit-attempts')).toBe('2');
    expect(response.headers.get('x-conduit-fallback')).toBeNull();
    expect(primary.requests).toHaveLength(2);
    expect(backup.requests).toHaveLength(0);
  });

  it('honours retry-after given as an HTTP date', async () => {
    reset();
    const date = new Date(Date.now() + 2000).toUTCString();
    primary.enqueue({
      type: 'json',
      status: 503,
      headers: { 'retry-after': date },
      body: { error: { message: 'busy' } },
    });
    await client.messages.create(params);
    expect(retries).toHaveLength(1);
    expect(retries[0]?.error.status).toBe(503);
    expect(retries[0]?.delayMs).toBeGreaterThan(0);
    expect(retries[0]?.delayMs).toBeLessThanOrEqual(2000);
    expect(primary.requests).toHaveLength(2);
  });

  it('falls back after the primary’s retries are exhausted, and says so in the headers', async () => {
    reset();
    for (let count = 0; count < 2; count++) {
      primary.enqueue({ type: 'json', status: 502, body: { error: { message: 'bad gateway' } } });
    }
    const { data, response } = await client.messages.create(params).withResponse();
    expect(data.content[0]).toMatchObject({ text: 'Hello from the mock.' });
    expect(response.headers.get('x-conduit-provider')).toBe('backup');
    expect(response.headers.get('x-conduit-model')).toBe('b-model');
    expect(response.headers.get('x-conduit-fallback')).toBe('primary,p-model');
    expect(response.headers.get('x-conduit-attempts')).toBe('3');
    expect(keysSeen(backup)).toEqual(['Bearer key-z']);
  });

  it('falls back when the first byte is too slow', async () => {
    reset();
    for (let count = 0; count < 2; count++) {
      primary.enqueue({ type: 'json', delayMs: 1500, body: { never: 'used' } });
    }
    const { response } = await client.messages.create(params).withResponse();
    expect(response.headers.get('x-conduit-provider')).toBe('backup');
    expect(retries[0]?.error.failure).toBe('timeout');
  });

  it('retries a stream cut before its first byte and a malformed first chunk', async () => {
    reset();
    primary.enqueue({ type: 'sse', frames: streamFrames, cutAfterFrames: 0 });
    const first = await client.messages.stream(params).finalMessage();
    expect(first.content[0]).toMatchObject({ text: 'Hello from the mock.' });
    primary.enqueue({ type: 'sse', frames: ['data: {"choices": [oops\n\n'] });
    primary.enqueue({ type: 'sse', frames: streamFrames });
    const second = await client.messages.stream(params).finalMessage();
    expect(second.content[0]).toMatchObject({ text: 'streamed answer' });
    expect(primary.requests).toHaveLength(4);
  });

  it('ends a stream cut after its first byte with an error event (no retry)', async () => {
    reset();
    primary.enqueue({ type: 'sse', frames: streamFrames, cutAfterFrames: 3 });
    const { response, text } = await rawPost(gateway, { stream: true });
    expect(response.status).toBe(200);
    expect(text).toContain('event: message_start');
    expect(text.trimEnd().split('\n\n').at(-1)).toMatch(/^event: error\n/);
    expect(primary.requests).toHaveLength(1);
  });

  it('retries a malformed JSON body', async () => {
    reset();
    primary.enqueue({ type: 'raw', body: '{"choices": [' });
    const message = await client.messages.create(params);
    expect(message.content[0]).toMatchObject({ text: 'Hello from the mock.' });
    expect(primary.requests).toHaveLength(2);
  });

  it('returns non-retryable errors as they are, without fallback', async () => {
    reset();
    primary.enqueue({ type: 'json', status: 400, body: { error: { message: 'bad field' } } });
    const error = await client.messages.create(params).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(backup.requests).toHaveLength(0);
  });

  it('rotates keys round-robin, retries a 401 with the next key, cools a 429 key down', async () => {
    reset();
    for (let count = 0; count < 3; count++) await client.messages.create(params);
    const rotation = keysSeen(primary);
    expect(new Set(rotation)).toEqual(new Set(['Bearer key-a', 'Bearer key-b', 'Bearer key-c']));
    reset();
    primary.enqueue({ type: 'json', status: 401, body: { error: { message: 'revoked' } } });
    await client.messages.create(params);
    const [rejected, accepted] = keysSeen(primary);
    expect(accepted).not.toBe(rejected);
    reset();
    primary.enqueue({
      type: 'json',
      status: 429,
      headers: { 'retry-after': '30' },
      body: { error: { message: 'slow down' } },
    });
    await client.messages.create(params);
    const limited = keysSeen(primary)[0];
    for (let count = 0; count < 4; count++) await client.messages.create(params);
    const later = keysSeen(primary).slice(2);
    expect(later).toHaveLength(4);
    expect(later).not.toContain(limited);
    expect(later).not.toContain(rejected);
    expect(retries.every(event => !JSON.stringify(event).includes('key-'))).toBe(true);
  });

  it('cancels the upstream request when the client disconnects mid-stream', async () => {
    reset();
    const closedBefore = primary.requests.length;
    primary.enqueue({
      type: 'sse',
      frames: Array.from(
        { length: 100 },
        (_unused, index) => `data: {"id":"c","choices":[{"delta":{"content":"${index} "}}]}\n\n`,
      ),
      frameDelayMs: 50,
    });
    const controller = new AbortController();
    const response = await fetch(`${gateway.baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...params, stream: true }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await primary.waitForClosedConnections(closedBefore + 1);
    expect(primary.requests).toHaveLength(1);
  });
});

describe('resilience: unreachable and hung upstreams', () => {
  let backup: MockOpenAIProvider;
  let hung: MockOpenAIProvider;
  let closedPort: string;

  beforeAll(async () => {
    backup = await startMockOpenAIProvider();
    hung = await startMockOpenAIProvider();
    const probe = createServer();
    await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>(resolve => probe.close(() => resolve()));
    closedPort = `http://127.0.0.1:${port}/v1/chat/completions`;
  });
  afterAll(async () => {
    await backup.close();
    await hung.close();
  });

  it('falls back when the primary refuses connections', async () => {
    const gateway = await startTestGateway(config(closedPort, backup));
    try {
      const { response } = await clientFor(gateway).messages.create(params).withResponse();
      expect(response.headers.get('x-conduit-provider')).toBe('backup');
      expect(response.headers.get('x-conduit-fallback')).toBe('primary,p-model');
    } finally {
      await gateway.close();
    }
  });

  it('lets a provider’s own firstByteMs exceed the global one', async () => {
    const slow = await startMockOpenAIProvider();
    slow.enqueue({ type: 'json', delayMs: 700, body: slowCompletion });
    const gateway = await startTestGateway({
      Providers: [
        {
          name: 'slow',
          api_base_url: slow.endpoint,
          models: ['m'],
          api_key: 'k',
          timeouts: { firstByteMs: 5000 },
        },
      ],
      Router: { default: 'slow,m' },
      resilience: {
        retry: { maxAttempts: 1 },
        timeouts: { connectMs: 500, firstByteMs: 200, idleMs: 200, totalMs: 10_000 },
      },
    } as ConduitConfigInput);
    try {
      const message = await clientFor(gateway).messages.create(params);
      expect(message.content[0]).toMatchObject({ text: 'late but fine' });
      expect(slow.requests).toHaveLength(1);
    } finally {
      await gateway.close();
      await slow.close();
    }
  });

  it('answers a hang everywhere with 504 timeout_error before the client gives up', async () => {
    hung.setDefaultResponder(() => ({ type: 'hang' }));
    backup.enqueue({ type: 'hang' });
    const gateway = await startTestGateway(
      config(hung, backup, {
        retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 100 },
        timeouts: { connectMs: 500, firstByteMs: 300, idleMs: 300, totalMs: 5000 },
      }),
    );
    try {
      const error = await clientFor(gateway, 20_000)
        .messages.create(params)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Anthropic.APIError);
      expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(504);
      expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
        error: { type: 'timeout_error' },
      });
    } finally {
      await gateway.close();
    }
  });

  it('ends a stream that goes silent, or outlives API_TIMEOUT_MS, with a timeout_error event', async () => {
    const frames = streamFrames.slice(0, 3);
    hung.enqueue({ type: 'sse', frames: [...frames, ...frames], frameDelayMs: 1500 });
    const gateway = await startTestGateway(
      config(hung, backup, {
        timeouts: { connectMs: 500, firstByteMs: 1000, idleMs: 300, totalMs: 60_000 },
      }),
    );
    const totalGateway = await startTestGateway(config(hung, backup, {}, { API_TIMEOUT_MS: 800 }));
    try {
      const silent = await rawPost(gateway, { stream: true });
      expect(silent.text).toContain('event: message_start');
      expect(silent.text.trimEnd().split('\n\n').at(-1)).toMatch(
        /^event: error\ndata: \{"type":"error","error":\{"type":"timeout_error","message":".*sent nothing for 300 ms/,
      );
      hung.enqueue({
        type: 'sse',
        frames: Array.from({ length: 40 }, () => frames[1]!),
        frameDelayMs: 100,
      });
      const long = await rawPost(totalGateway, { stream: true });
      expect(long.text.trimEnd().split('\n\n').at(-1)).toMatch(
        /"type":"timeout_error","message":".*total timeout of 800 ms/,
      );
    } finally {
      await gateway.close();
      await totalGateway.close();
    }
  });
});

describe('resilience: circuit breaker on an injected clock', () => {
  it('opens after consecutive failures, fails fast, half-opens after the cooldown, closes', async () => {
    const upstream = await startMockOpenAIProvider();
    const unused = await startMockOpenAIProvider();
    let offset = 0;
    const clock: ResilienceClock = { ...systemClock, now: () => Date.now() + offset };
    const states: string[] = [];
    const reported: string[] = [];
    const gateway = await startTestGateway(
      config(
        upstream,
        unused,
        {
          retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 100 },
          circuitBreaker: { enabled: true, failureThreshold: 2, cooldownMs: 60_000 },
        },
        { fallback: {} },
      ),
      {
        resilienceClock: clock,
        resilienceEvents: { onCircuitStateChange: (_target, state) => states.push(state) },
        // What `@conduit/monitoring` plugs in to publish the circuit gauge.
        extensions: [
          {
            name: 'circuit-recorder',
            onCircuitStateChange: (target, state) =>
              reported.push(`${target.provider},${target.model}=${state}`),
          },
        ],
      },
    );
    const client = clientFor(gateway);
    try {
      for (let count = 0; count < 2; count++) {
        upstream.enqueue({ type: 'json', status: 500, body: { error: { message: 'down' } } });
        await expect(client.messages.create(params)).rejects.toBeInstanceOf(
          Anthropic.InternalServerError,
        );
      }
      const open = await client.messages.create(params).catch((caught: unknown) => caught);
      expect((open as InstanceType<typeof Anthropic.APIError>).status).toBe(503);
      expect((open as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
        error: {
          type: 'overloaded_error',
          message: expect.stringContaining('circuit open for primary,p-model until'),
        },
      });
      expect(upstream.requests).toHaveLength(2);
      expect(gateway.server.getHealth().circuits).toEqual([
        expect.objectContaining({ provider: 'primary', model: 'p-model', state: 'open' }),
      ]);
      expect(reported.at(-1)).toBe('primary,p-model=open');

      offset += 60_000;
      await client.messages.create(params);
      expect(upstream.requests).toHaveLength(3);
      expect(gateway.server.getCircuitStates()[0]?.state).toBe('closed');
      expect(states).toEqual(['open', 'half-open', 'closed']);
      expect(reported.at(-1)).toBe('primary,p-model=closed');
    } finally {
      await gateway.close();
      await upstream.close();
      await unused.close();
    }
  });
});

describe('resilience: mid-stream failures and error responses', () => {
  it('counts streams the upstream cuts after the first frame toward the circuit breaker', async () => {
    const upstream = await startMockOpenAIProvider();
    const unused = await startMockOpenAIProvider();
    const gateway = await startTestGateway(
      config(
        upstream,
        unused,
        {
          retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 100 },
          circuitBreaker: { enabled: true, failureThreshold: 2, cooldownMs: 60_000 },
        },
        { fallback: {} },
      ),
    );
    try {
      for (let count = 0; count < 2; count++) {
        upstream.enqueue({ type: 'sse', frames: streamFrames, cutAfterFrames: 2 });
        const { response, text } = await rawPost(gateway, { stream: true });
        expect(response.status).toBe(200);
        expect(text.trimEnd().split('\n\n').at(-1)).toMatch(/^event: error\n/);
      }
      expect(gateway.server.getCircuitStates()).toEqual([
        expect.objectContaining({ provider: 'primary', model: 'p-model', state: 'open' }),
      ]);
      const { response, text } = await rawPost(gateway, { stream: true });
      expect(response.status).toBe(503);
      expect(text).toContain('circuit open for primary,p-model');
      expect(response.headers.get('x-conduit-attempts')).toBe('0');
      expect(upstream.requests).toHaveLength(2);
    } finally {
      await gateway.close();
      await upstream.close();
      await unused.close();
    }
  });

  it('keeps a circuit closed when streams end cleanly, and resets the count after one', async () => {
    const upstream = await startMockOpenAIProvider();
    const unused = await startMockOpenAIProvider();
    const gateway = await startTestGateway(
      config(
        upstream,
        unused,
        {
          retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 100 },
          circuitBreaker: { enabled: true, failureThreshold: 2, cooldownMs: 60_000 },
        },
        { fallback: {} },
      ),
    );
    try {
      upstream.enqueue({ type: 'sse', frames: streamFrames, cutAfterFrames: 2 });
      await rawPost(gateway, { stream: true });
      expect(gateway.server.getCircuitStates()).toEqual([
        expect.objectContaining({ state: 'closed', consecutiveFailures: 1 }),
      ]);
      upstream.enqueue({ type: 'sse', frames: streamFrames });
      const clean = await rawPost(gateway, { stream: true });
      expect(clean.text).toContain('event: message_stop');
      expect(gateway.server.getCircuitStates()).toEqual([
        expect.objectContaining({ state: 'closed', consecutiveFailures: 0 }),
      ]);
    } finally {
      await gateway.close();
      await upstream.close();
      await unused.close();
    }
  });

  it('closes a half-open circuit on a trial stream’s first frame, not at its end', async () => {
    const upstream = await startMockOpenAIProvider();
    const unused = await startMockOpenAIProvider();
    let offset = 0;
    const clock: ResilienceClock = { ...systemClock, now: () => Date.now() + offset };
    const gateway = await startTestGateway(
      config(
        upstream,
        unused,
        {
          retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 100 },
          circuitBreaker: { enabled: true, failureThreshold: 1, cooldownMs: 60_000 },
          timeouts: { connectMs: 2000, firstByteMs: 5000, idleMs: 5000, totalMs: 20_000 },
        },
        { fallback: {} },
      ),
      { resilienceClock: clock },
    );
    try {
      upstream.enqueue({ type: 'json', status: 500, body: { error: { message: 'down' } } });
      expect((await rawPost(gateway, {})).response.status).toBe(500);
      expect(gateway.server.getCircuitStates()[0]?.state).toBe('open');
      offset += 60_000;
      // A long trial stream: the circuit closes once its first frame arrived.
      upstream.enqueue({ type: 'sse', frames: streamFrames, frameDelayMs: 100 });
      const response = await fetch(`${gateway.baseURL}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'sk-client' },
        body: JSON.stringify({ ...params, stream: true }),
      });
      expect(response.status).toBe(200);
      expect(gateway.server.getCircuitStates()[0]?.state).toBe('closed');
      expect(await response.text()).toContain('event: message_stop');
      expect(gateway.server.getCircuitStates()[0]).toMatchObject({
        state: 'closed',
        consecutiveFailures: 0,
      });
    } finally {
      await gateway.close();
      await upstream.close();
      await unused.close();
    }
  });

  it('says how many attempts an error response made (x-conduit-attempts)', async () => {
    const primary = await startMockOpenAIProvider();
    const backup = await startMockOpenAIProvider();
    const gateway = await startTestGateway(config(primary, backup));
    try {
      for (let count = 0; count < 2; count++) {
        primary.enqueue({ type: 'json', status: 502, body: { error: { message: 'bad gateway' } } });
        backup.enqueue({ type: 'json', status: 503, body: { error: { message: 'unavailable' } } });
      }
      const exhausted = await rawPost(gateway, {});
      expect(exhausted.response.status).toBe(503);
      expect(exhausted.response.headers.get('x-conduit-attempts')).toBe('4');

      primary.enqueue({ type: 'json', status: 400, body: { error: { message: 'bad field' } } });
      const refused = await rawPost(gateway, { stream: true });
      expect(refused.response.status).toBe(400);
      expect(refused.response.headers.get('x-conduit-attempts')).toBe('1');
    } finally {
      await gateway.close();
      await primary.close();
      await backup.close();
    }
  });
});
