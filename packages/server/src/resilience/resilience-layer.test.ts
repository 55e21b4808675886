import { describe, expect, it } from '@jest/globals';
import {
  type ParsedConduitConfig,
  type ConduitConfigInput,
  NoRouteError,
  ProviderAPIError,
  type RoutingDecision,
  parseConfig,
} from '@conduit/core';
import type { UpstreamTarget } from '../gateway/gateway-snapshot.js';
import type { UpstreamCallInput, UpstreamCallResult } from '../gateway/upstream-call.js';
import type { ProviderAdapter } from '../providers/provider-adapter.js';
import type { ProviderPipeline } from '../providers/transformers/resolve-provider-pipeline.js';
import type { CircuitState } from './circuit-breaker.js';
import type { ResilienceClock } from './resilience-clock.js';
import { CircuitOpenError, KeysCoolingError } from './resilience-errors.js';
import type { FallbackEvent, RetryEvent } from './resilience-events.js';
import { createResilienceLayer } from './resilience-layer.js';

/** Time that only moves when something sleeps or the test advances it. */
class FakeClock implements ResilienceClock {
  time = 1_700_000_000_000;
  readonly sleeps: number[] = [];
  now = () => this.time;
  sleep = (milliseconds: number, signal: AbortSignal) => {
    if (signal.aborted) return Promise.reject(signal.reason);
    this.sleeps.push(milliseconds);
    this.time += milliseconds;
    return Promise.resolve();
  };
  setTimer = () => () => undefined;
}

type Step = 'ok' | 'stream' | ProviderAPIError | ((input: UpstreamCallInput) => UpstreamCallResult);

interface Call {
  route: string;
  keyIndex: number | undefined;
}

const encoder = new TextEncoder();

function streamOf(...frames: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const frame of frames) controller.enqueue(encoder.encode(frame));
      controller.close();
    },
  });
}

const http = (statusCode: number, extra: { retryAfterMs?: number } = {}) =>
  new ProviderAPIError({ message: `HTTP ${statusCode}`, provider: 'x', statusCode, ...extra });
const connectionRefused = () =>
  new ProviderAPIError({ message: 'ECONNREFUSED', provider: 'x', failure: 'connection' });

function setup(configInput: Record<string, unknown> = {}, options: { fail?: boolean } = {}) {
  const config: ParsedConduitConfig = parseConfig({
    Providers: [
      {
        name: 'a',
        api_base_url: 'http://127.0.0.1:1/a',
        models: ['m1', 'm2'],
        api_keys: ['ka0', 'ka1', 'ka2'],
      },
      { name: 'b', api_base_url: 'http://127.0.0.1:1/b', models: ['m1'], api_key: 'kb' },
      { name: 'c', api_base_url: 'http://127.0.0.1:1/c', models: ['m1'] },
    ],
    Router: { default: 'a,m1' },
    ...configInput,
    resilience: {
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 2000 },
      circuitBreaker: { enabled: true, failureThreshold: 5, cooldownMs: 1000 },
      ...(options.fail ? { allKeysCooling: 'fail' } : {}),
      ...(configInput.resilience as Record<string, unknown> | undefined),
    },
  } as ConduitConfigInput);
  const resolveTarget = (route: string): UpstreamTarget => {
    const [providerName, model] = route.split(',') as [string, string];
    const provider = config.Providers.find(item => item.name === providerName);
    if (!provider?.models.includes(model)) {
      throw new NoRouteError({
        kind: 'unknown-provider',
        choices: [],
        message: `bad route ${route}`,
      });
    }
    return {
      provider,
      model,
      adapter: {} as ProviderAdapter,
      pipeline: {} as ProviderPipeline,
    };
  };
  const clock = new FakeClock();
  const calls: Call[] = [];
  const script: Step[] = [];
  const retries: RetryEvent[] = [];
  const fallbacks: FallbackEvent[] = [];
  const circuitChanges: Array<[string, CircuitState]> = [];
  const layer = createResilienceLayer({
    getConfig: () => config,
    clock,
    random: () => 0.5,
    events: {
      onRetry: event => retries.push(event),
      onFallback: event => fallbacks.push(event),
      onCircuitStateChange: (target, state) =>
        circuitChanges.push([`${target.provider},${target.model}`, state]),
    },
  });
  const call = layer.wrap(async input => {
    calls.push({
      route: `${input.target.provider.name},${input.target.model}`,
      keyIndex: input.keyIndex,
    });
    const step = script.shift() ?? 'ok';
    if (step instanceof ProviderAPIError) throw step;
    if (typeof step === 'function') return step(input);
    if (step === 'stream') {
      return {
        kind: 'stream',
        stream: streamOf(
          'event: message_start\ndata: {"type":"message_start"}\n\n',
          'event: message_stop\ndata: {}\n\n',
        ),
        getOutcome: () => ({
          usage: {
            input_tokens: 0,
            output_tokens: 0,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 0,
          },
          usageEstimated: false,
          stopReason: null,
        }),
        responseHeaders: {},
        target: input.target,
      };
    }
    return {
      kind: 'json',
      body: '{"type":"message"}',
      outcome: {
        usage: {
          input_tokens: 1,
          output_tokens: 1,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
        },
        usageEstimated: false,
        stopReason: 'end_turn',
      },
      responseHeaders: { 'x-upstream-request-id': 'r1' },
      target: input.target,
    };
  });
  const request = (options: { route?: string; fallbacks?: string[]; signal?: AbortSignal } = {}) =>
    call({
      decision: {
        provider: 'a',
        model: 'm1',
        reason: 'default',
        scenario: 'default',
        confidence: 1,
        tokenCount: 1,
        fallbacks: options.fallbacks ?? [],
        metadata: {},
      } satisfies RoutingDecision,
      target: resolveTarget(options.route ?? 'a,m1'),
      request: { model: 'x', max_tokens: 1, messages: [] },
      rawBody: '{}',
      inboundHeaders: new Headers(),
      estimatedInputTokens: 1,
      signal: options.signal ?? new AbortController().signal,
      resolveTarget,
    });
  return { layer, clock, calls, script, retries, fallbacks, circuitChanges, request };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe('createResilienceLayer: retries', () => {
  it('retries retryable failures with jittered backoff and reports the attempts', async () => {
    const { request, script, calls, clock, retries } = setup();
    script.push(http(500), connectionRefused());
    const result = await request();
    expect(calls.map(call => call.route)).toEqual(['a,m1', 'a,m1', 'a,m1']);
    expect(clock.sleeps).toEqual([50, 100]);
    expect(result.responseHeaders).toEqual({
      'x-upstream-request-id': 'r1',
      'x-conduit-attempts': '3',
    });
    expect(retries.map(event => [event.attempt, event.error.status, event.error.failure])).toEqual([
      [1, 500, 'http'],
      [2, undefined, 'connection'],
    ]);
    expect(JSON.stringify(retries)).not.toContain('ka0');
  });

  it('honours retry-after, capped by maxDelayMs', async () => {
    const { request, script, clock } = setup();
    script.push(http(503, { retryAfterMs: 1500 }), http(503, { retryAfterMs: 60_000 }));
    await request({ route: 'b,m1' });
    expect(clock.sleeps).toEqual([1500, 2000]);
  });

  it('returns the last upstream error once attempts are exhausted and there is no fallback', async () => {
    const { request, script, calls } = setup();
    script.push(http(502), http(502), http(529));
    await expect(request({ route: 'b,m1' })).rejects.toMatchObject({ statusCode: 529 });
    expect(calls).toHaveLength(3);
  });

  it('returns non-retryable errors as they are, without retry or fallback', async () => {
    const { request, script, calls } = setup();
    script.push(http(400));
    await expect(request({ fallbacks: ['b,m1'] })).rejects.toMatchObject({ statusCode: 400 });
    script.push(http(404));
    await expect(request({ fallbacks: ['b,m1'] })).rejects.toMatchObject({ statusCode: 404 });
    expect(calls.map(call => call.route)).toEqual(['a,m1', 'a,m1']);
  });

  it('never waits past the total deadline: it moves to the fallback instead', async () => {
    const { request, script, calls, clock } = setup({ API_TIMEOUT_MS: 5000 });
    script.push(http(429, { retryAfterMs: 1_000_000 }));
    const tight = setup({
      API_TIMEOUT_MS: 1000,
      resilience: { retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 8000 } },
    });
    tight.script.push(http(503, { retryAfterMs: 5000 }));
    const result = await tight.request({ route: 'b,m1', fallbacks: ['c,m1'] });
    expect(tight.clock.sleeps).toEqual([]);
    expect(tight.calls.map(call => call.route)).toEqual(['b,m1', 'c,m1']);
    expect(result.responseHeaders['x-conduit-fallback']).toBe('b,m1');
    await request({ route: 'b,m1' });
    expect(clock.sleeps).toEqual([2000]);
    expect(calls).toHaveLength(2);
  });

  it('stops at once when the client goes away during a backoff', async () => {
    const { request, script, calls } = setup();
    const controller = new AbortController();
    script.push(_input => {
      controller.abort(new Error('client closed'));
      throw Object.assign(http(500), {});
    });
    await expect(request({ signal: controller.signal })).rejects.toThrow('client closed');
    expect(calls).toHaveLength(1);
  });
});

describe('createResilienceLayer: fallback chains', () => {
  it('walks the target’s own list, then the scenario list, and says who served', async () => {
    const { request, script, calls, fallbacks } = setup({
      fallback: { 'a,m1': ['a,m2'], default: ['b,m1'] },
    });
    script.push(
      http(500),
      http(500),
      http(500),
      connectionRefused(),
      connectionRefused(),
      connectionRefused(),
    );
    const result = await request({ fallbacks: ['b,m1', 'a,m1'] });
    expect(calls.map(call => call.route)).toEqual([
      'a,m1',
      'a,m1',
      'a,m1',
      'a,m2',
      'a,m2',
      'a,m2',
      'b,m1',
    ]);
    expect(result.target.provider.name).toBe('b');
    expect(result.responseHeaders).toMatchObject({
      'x-conduit-attempts': '7',
      'x-conduit-fallback': 'a,m1',
    });
    expect(fallbacks).toEqual([
      {
        from: { provider: 'a', model: 'm1' },
        to: { provider: 'a', model: 'm2' },
        reason: 'failed',
      },
      {
        from: { provider: 'a', model: 'm2' },
        to: { provider: 'b', model: 'm1' },
        reason: 'failed',
      },
    ]);
  });

  it('skips fallback routes that are no longer configured', async () => {
    const { request, script, calls } = setup();
    script.push(http(500), http(500), http(500));
    const result = await request({ fallbacks: ['gone,x', 'c,m1'] });
    expect(result.target.provider.name).toBe('c');
    expect(calls.at(-1)?.route).toBe('c,m1');
  });
});

describe('createResilienceLayer: key pools', () => {
  it('spreads requests across keys round-robin', async () => {
    const { request, calls } = setup();
    for (let count = 0; count < 4; count++) await request();
    expect(calls.map(call => call.keyIndex)).toEqual([0, 1, 2, 0]);
  });

  it('rotates to the next key on 401 at once, and returns the 401 when every key failed', async () => {
    const { request, script, calls, clock } = setup();
    script.push(http(401), http(401));
    const served = await request({ fallbacks: ['b,m1'] });
    expect(served.target.provider.name).toBe('a');
    expect(calls.map(call => call.keyIndex)).toEqual([0, 1, 2]);
    expect(clock.sleeps).toEqual([]);
    clock.time += 120_000;
    script.push(http(401), http(401), http(401));
    await expect(request({ fallbacks: ['b,m1'] })).rejects.toMatchObject({ statusCode: 401 });
    expect(calls.slice(3).map(call => call.route)).toEqual(['a,m1', 'a,m1', 'a,m1']);
  });

  it('cools a 429 key for its retry-after and retries at once with another key', async () => {
    const { request, script, calls, clock } = setup();
    script.push(http(429, { retryAfterMs: 5000 }));
    await request();
    expect(calls.map(call => call.keyIndex)).toEqual([0, 1]);
    expect(clock.sleeps).toEqual([]);
    await request();
    await request();
    expect(calls.slice(2).map(call => call.keyIndex)).toEqual([2, 1]);
    clock.time += 5000;
    await request();
    await request();
    expect(calls.slice(4).map(call => call.keyIndex)).toEqual([2, 0]);
  });

  it('uses the soonest-recovering key when all cool down, or fails fast when configured', async () => {
    const soonest = setup();
    soonest.script.push(
      http(429, { retryAfterMs: 3000 }),
      http(429, { retryAfterMs: 1000 }),
      http(429, { retryAfterMs: 2000 }),
    );
    await expect(soonest.request()).rejects.toMatchObject({ statusCode: 429 });
    expect(soonest.calls.map(call => call.keyIndex)).toEqual([0, 1, 2]);
    await soonest.request();
    expect(soonest.calls.map(call => call.keyIndex)).toEqual([0, 1, 2, 1]);

    const failing = setup({}, { fail: true });
    failing.script.push(
      http(429, { retryAfterMs: 3000 }),
      http(429, { retryAfterMs: 3000 }),
      http(429, { retryAfterMs: 3000 }),
    );
    await expect(failing.request()).rejects.toMatchObject({ statusCode: 429 });
    const error = await failing.request().catch((caught: unknown) => caught);
    expect(KeysCoolingError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('Every API key of provider "a" is cooling down');
    expect((error as Error).message).not.toContain('ka0');
  });
});

describe('createResilienceLayer: circuit breakers', () => {
  const breaker = {
    resilience: {
      retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 1 },
      circuitBreaker: { enabled: true, failureThreshold: 2, cooldownMs: 1000 },
    },
  };

  it('opens after consecutive failures, skips the target, half-opens for one trial, closes', async () => {
    const { request, script, calls, clock, layer, circuitChanges, fallbacks } = setup(breaker);
    script.push(http(500), http(500));
    await expect(request({ route: 'b,m1' })).rejects.toMatchObject({ statusCode: 500 });
    await expect(request({ route: 'b,m1' })).rejects.toMatchObject({ statusCode: 500 });
    expect(layer.getCircuitStates()).toEqual([
      expect.objectContaining({
        provider: 'b',
        model: 'm1',
        state: 'open',
        consecutiveFailures: 2,
      }),
    ]);
    const open = await request({ route: 'b,m1' }).catch((caught: unknown) => caught);
    expect(CircuitOpenError.isInstance(open)).toBe(true);
    expect(open).toMatchObject({ statusCode: 503, retryAfterMs: 1000 });
    expect((open as Error).message).toContain(
      `circuit open for b,m1 until ${new Date(clock.time + 1000).toISOString()}`,
    );
    const viaFallback = await request({ route: 'b,m1', fallbacks: ['c,m1'] });
    expect(viaFallback.target.provider.name).toBe('c');
    expect(fallbacks.at(-1)?.reason).toBe('circuit-open');
    expect(calls.map(call => call.route)).toEqual(['b,m1', 'b,m1', 'c,m1']);

    clock.time += 1000;
    let releaseTrial: () => void = () => undefined;
    script.push(
      input =>
        new Promise<UpstreamCallResult>(resolve => {
          releaseTrial = () =>
            resolve({
              kind: 'json',
              body: '{}',
              outcome: {
                usage: {
                  input_tokens: 0,
                  output_tokens: 0,
                  cache_creation_input_tokens: 0,
                  cache_read_input_tokens: 0,
                },
                usageEstimated: false,
                stopReason: null,
              },
              responseHeaders: {},
              target: input.target,
            });
        }) as unknown as UpstreamCallResult,
    );
    const trial = request({ route: 'b,m1' });
    const duringTrial = await request({ route: 'b,m1' }).catch((caught: unknown) => caught);
    expect(CircuitOpenError.isInstance(duringTrial)).toBe(true);
    releaseTrial();
    await trial;
    expect(layer.getCircuitStates()[0]).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    expect(circuitChanges).toEqual([
      ['b,m1', 'open'],
      ['b,m1', 'half-open'],
      ['b,m1', 'closed'],
    ]);
  });

  it('reopens when the half-open trial fails', async () => {
    const { request, script, clock, layer } = setup(breaker);
    script.push(http(503), http(503));
    await request({ route: 'b,m1' }).catch(() => undefined);
    await request({ route: 'b,m1' }).catch(() => undefined);
    clock.time += 1000;
    script.push(http(503));
    await expect(request({ route: 'b,m1' })).rejects.toMatchObject({ statusCode: 503 });
    expect(layer.getCircuitStates()[0]?.state).toBe('open');
  });

  it('moves to the fallback as soon as the circuit opens mid-retries', async () => {
    const { request, script, calls } = setup({
      resilience: {
        retry: { maxAttempts: 5, baseDelayMs: 0, maxDelayMs: 1 },
        circuitBreaker: { enabled: true, failureThreshold: 2, cooldownMs: 1000 },
      },
    });
    script.push(http(500), http(500));
    await request({ route: 'b,m1', fallbacks: ['c,m1'] });
    expect(calls.map(call => call.route)).toEqual(['b,m1', 'b,m1', 'c,m1']);
  });

  it('keeps serving when an event handler throws', async () => {
    const config = parseConfig({
      Providers: [{ name: 'b', api_base_url: 'http://127.0.0.1:1/b', models: ['m1'] }],
      resilience: {
        circuitBreaker: { failureThreshold: 1, cooldownMs: 1000 },
        retry: { maxAttempts: 2, baseDelayMs: 0, maxDelayMs: 1 },
      },
    } as ConduitConfigInput);
    const layer = createResilienceLayer({
      getConfig: () => config,
      clock: new FakeClock(),
      events: {
        onCircuitStateChange: () => {
          throw new Error('observer bug');
        },
      },
    });
    let count = 0;
    const call = layer.wrap(async _input => {
      count++;
      throw http(500);
    });
    const provider = config.Providers[0]!;
    const target = {
      provider,
      model: 'm1',
      adapter: {} as ProviderAdapter,
      pipeline: {} as ProviderPipeline,
    };
    await expect(
      call({
        decision: {
          provider: 'b',
          model: 'm1',
          reason: 'default',
          scenario: 'default',
          confidence: 1,
          tokenCount: 0,
          fallbacks: [],
          metadata: {},
        },
        target,
        request: { model: 'x', max_tokens: 1, messages: [] },
        rawBody: '{}',
        inboundHeaders: new Headers(),
        estimatedInputTokens: 0,
        signal: new AbortController().signal,
        resolveTarget: () => target,
      }),
    ).rejects.toMatchObject({ statusCode: 500 });
    expect(count).toBe(1);
    expect(layer.getCircuitStates()[0]?.state).toBe('open');
  });
});

describe('createResilienceLayer: streams before the first byte', () => {
  const streamResult = (input: UpstreamCallInput, ...frames: string[]): UpstreamCallResult => ({
    kind: 'stream',
    stream: streamOf(...frames),
    getOutcome: () => ({
      usage: {
        input_tokens: 0,
        output_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
      usageEstimated: false,
      stopReason: null,
    }),
    responseHeaders: {},
    target: input.target,
  });

  it('retries a stream whose first frame is a transient error or that is empty', async () => {
    const { request, script, calls } = setup({
      resilience: { retry: { maxAttempts: 4, baseDelayMs: 0, maxDelayMs: 1 } },
    });
    script.push(
      input =>
        streamResult(
          input,
          '\n\nevent: error\ndata: {"type":"error","error":{"type":"api_error","message":"cut"}}\n\n',
        ),
      input => streamResult(input),
      input =>
        streamResult(
          input,
          'event: error\ndata: {"type":"error","error":',
          '{"type":"overloaded_error","message":"busy"}}\n\n',
        ),
    );
    script.push('stream');
    const result = await request();
    expect(calls).toHaveLength(4);
    expect(result.kind).toBe('stream');
    if (result.kind !== 'stream') return;
    const text = await readAll(result.stream);
    expect(text).toBe(
      'event: message_start\ndata: {"type":"message_start"}\n\nevent: message_stop\ndata: {}\n\n',
    );
  });

  it('delivers a non-transient first error event as the answer', async () => {
    const { request, script, calls } = setup();
    const frame =
      'event: error\ndata: {"type":"error","error":{"type":"invalid_request_error","message":"bad"}}\n\n';
    script.push(input => streamResult(input, frame));
    const result = await request();
    expect(calls).toHaveLength(1);
    if (result.kind !== 'stream') throw new Error('expected a stream');
    expect(await readAll(result.stream)).toBe(frame);
  });
});
