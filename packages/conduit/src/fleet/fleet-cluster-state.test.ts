/**
 * Two gateways sharing one Redis (in this process, each with its own ledger): what one instance
 * learns about an upstream reaches the other without that instance paying for it again.
 * - a circuit one instance closes (its half-open trial succeeded) closes on the other;
 * - a provider key one instance saw refused with 429 is skipped by the other until it recovers;
 * - the web UI's live log and event stream on one instance show requests the other served,
 *   without bodies or secrets.
 * Needs CONDUIT_TEST_REDIS_URL (skipped locally without it, an error under CI).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type MockOpenAIProvider,
  renderOpenAIAnswer,
  startMockOpenAIProvider,
} from '@conduit/test-utils';
import { masterKey, startFleetGateway, type TestFleetGateway } from './test-fleet-gateway.js';

const redisURL = process.env.CONDUIT_TEST_REDIS_URL || undefined;
if (!redisURL && process.env.CI) {
  throw new Error('fleet cluster state: CONDUIT_TEST_REDIS_URL is not set but CI is');
}
if (!redisURL) {
  process.stderr.write('NOTE fleet cluster state: skipped, CONDUIT_TEST_REDIS_URL is not set\n');
}

/** Generous: the machine may be loaded; the conditions, not the deadlines, are what is tested. */
const deadlineMs = 15_000;

async function waitFor(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > deadlineMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

function send(gateway: TestFleetGateway, model: string, content = 'hi') {
  return fetch(`${gateway.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': masterKey, 'content-type': 'application/json' },
    body: JSON.stringify({ model, max_tokens: 8, messages: [{ role: 'user', content }] }),
  });
}

function circuitOf(gateway: TestFleetGateway, provider: string) {
  return gateway.server.getCircuitStates().find(circuit => circuit.provider === provider);
}

function peers(gateway: TestFleetGateway) {
  return gateway.fleet.healthReporter.report().details.peers as {
    circuits: { opened: number; closed: number };
    keyCooldowns: number;
  };
}

(redisURL ? describe : describe.skip)('fleet: state two instances share through Redis', () => {
  let upstream: MockOpenAIProvider;
  let gateways: TestFleetGateway[] = [];
  /** Whether the `flaky` target fails (500) or answers. */
  let flakyFails = true;
  /** Provider keys the upstream refuses with 429 (a spent quota). */
  const refusedKeys = new Set(['sk-spent']);

  beforeAll(async () => {
    upstream = await startMockOpenAIProvider();
    upstream.setDefaultResponder(request => {
      const key = (request.headers.authorization ?? '').replace(/^Bearer /, '');
      if (refusedKeys.has(key)) {
        return {
          type: 'json',
          status: 429,
          headers: { 'retry-after': '600' },
          body: { error: { message: 'quota spent', type: 'rate_limit_error' } },
        };
      }
      if (key === 'sk-flaky' && flakyFails) {
        return {
          type: 'json',
          status: 500,
          body: { error: { message: 'flaky is down', type: 'server_error' } },
        };
      }
      return renderOpenAIAnswer(
        { text: 'Hello from the mock.', stop: 'end_turn', usage: { input: 10, output: 5 } },
        false,
      );
    });
    const prefix = `conduit-test:${randomUUID()}:`;
    const extra = {
      Providers: [
        {
          name: 'pooled',
          api_base_url: upstream.endpoint,
          api_key: 'sk-spent',
          api_keys: ['sk-good'],
          models: ['gpt-4o-mini'],
        },
        {
          name: 'flaky',
          api_base_url: upstream.endpoint,
          api_key: 'sk-flaky',
          models: ['bad'],
        },
      ],
      Router: { default: 'pooled,gpt-4o-mini' },
      resilience: {
        retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
        circuitBreaker: { enabled: true, failureThreshold: 2, cooldownMs: 1_000 },
      },
    };
    for (let index = 0; index < 2; index++) {
      const gateway = await startFleetGateway({ redis: redisURL, redisPrefix: prefix }, extra, {
        ui: true,
      });
      await gateway.fleet.start();
      gateways.push(gateway);
    }
  });

  afterEach(() => {
    expect(upstream.handlerErrors).toEqual([]);
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.close();
    gateways = [];
    await upstream?.close();
  });

  it('closes on every instance a circuit that one instance closed after a good trial', async () => {
    const [first, second] = gateways as [TestFleetGateway, TestFleetGateway];
    // Two failed attempts (one request, retried once) open the circuit on the first instance.
    expect((await send(first, 'flaky,bad')).status).toBe(500);
    expect(circuitOf(first, 'flaky')?.state).toBe('open');
    await waitFor(() => circuitOf(second, 'flaky')?.state === 'open', 'the opening to be shared');

    // The target recovers; once the cooldown ends, the first instance's trial closes it.
    flakyFails = false;
    await waitFor(async () => {
      const response = await send(first, 'flaky,bad');
      await response.text();
      return response.status === 200;
    }, 'a trial request to succeed');
    expect(circuitOf(first, 'flaky')?.state).toBe('closed');
    // The second instance sent nothing meanwhile: only the shared closure can close its circuit.
    const sentBySecond = upstream.requests.length;
    await waitFor(() => circuitOf(second, 'flaky')?.state === 'closed', 'the closure to be shared');
    expect(upstream.requests.length).toBe(sentBySecond);
    expect(peers(second).circuits.closed).toBeGreaterThanOrEqual(1);
    expect((await send(second, 'flaky,bad')).status).toBe(200);

    // No echo: the first instance did not reopen or re-close from its own announcement.
    expect(circuitOf(first, 'flaky')?.state).toBe('closed');
    expect(peers(first).circuits.closed).toBe(0);
  });

  it('skips on every instance a provider key that one instance saw refused with 429', async () => {
    const [first, second] = gateways as [TestFleetGateway, TestFleetGateway];
    const spentCalls = () =>
      upstream.requests.filter(request => request.headers.authorization === 'Bearer sk-spent')
        .length;
    const before = spentCalls();
    // The first instance tries the spent key first, cools it down and retries with the good one.
    expect((await send(first, 'pooled,gpt-4o-mini')).status).toBe(200);
    expect(spentCalls()).toBe(before + 1);
    await waitFor(() => peers(second).keyCooldowns >= 1, 'the cooldown to be shared');

    // The second instance has never used the pool: it would start with the spent key.
    for (let index = 0; index < 4; index++) {
      const response = await send(second, 'pooled,gpt-4o-mini');
      expect(response.status).toBe(200);
      expect(response.headers.get('x-conduit-attempts')).toBe('1');
    }
    expect(spentCalls()).toBe(before + 1);
  });

  it("shows on one instance's live log the requests the other served, without bodies or secrets", async () => {
    const [first, second] = gateways as [TestFleetGateway, TestFleetGateway];
    const events = await fetch(`${second.url}/ui/api/events`, {
      headers: { 'x-api-key': masterKey, accept: 'text/event-stream' },
      // Ends the read below if the event never comes (the stream itself stays open).
      signal: AbortSignal.timeout(deadlineMs),
    });
    expect(events.status).toBe(200);
    const reader = events.body!.getReader();
    const decoder = new TextDecoder();
    let streamed = '';
    const marker = `secret-prompt-${randomUUID()}`;
    const served = await send(first, 'pooled,gpt-4o-mini', marker);
    expect(served.status).toBe(200);
    const requestId = served.headers.get('x-conduit-request-id')!;
    expect(requestId).toBeTruthy();
    try {
      while (!streamed.includes(requestId)) {
        const { value, done } = await reader.read();
        if (done) break;
        streamed += decoder.decode(value, { stream: true });
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
    const frame = streamed.split('\n\n').find(part => part.includes(requestId))!;
    const event = JSON.parse(
      frame
        .split('\n')
        .find(line => line.startsWith('data:'))!
        .slice(5),
    );
    expect(event).toMatchObject({
      id: requestId,
      status: 200,
      servedBy: 'pooled,gpt-4o-mini',
      instance: expect.any(String),
    });
    // The log's REST view has it too; the serving instance shows it as its own.
    const listed = (await (
      await fetch(`${second.url}/ui/api/requests/${requestId}`, {
        headers: { 'x-api-key': masterKey },
      })
    ).json()) as { instance?: string };
    expect(listed.instance).toBe(event.instance);
    const own = (await (
      await fetch(`${first.url}/ui/api/requests/${requestId}`, {
        headers: { 'x-api-key': masterKey },
      })
    ).json()) as { instance?: string };
    expect(own.instance).toBeUndefined();
    for (const secret of [marker, masterKey, 'sk-good', 'sk-spent']) {
      expect(streamed).not.toContain(secret);
    }
  });
});
