import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createBenchAnswer, createOpenAIFrames } from '../mock/mock-answers.js';
import { type MockUpstream, startMockUpstream } from '../mock/mock-upstream.js';
import { LoadSession, countFrameEnds, runLoad } from './load-client.js';

describe('countFrameEnds', () => {
  it('counts blank-line frame ends, also across chunk boundaries', () => {
    expect(countFrameEnds(Buffer.from('data: a\n\ndata: b\n\n'), false)).toBe(2);
    expect(countFrameEnds(Buffer.from('data: a\n'), false)).toBe(0);
    expect(countFrameEnds(Buffer.from('\ndata: b\n\n'), true)).toBe(2);
    expect(countFrameEnds(Buffer.from('\ndata: b'), false)).toBe(0);
  });
});

// One mock upstream for every run below.
let mock: MockUpstream;
beforeAll(async () => {
  mock = await startMockUpstream();
});
afterAll(async () => {
  await mock.close();
});

describe('runLoad', () => {
  it('measures a bounded run and counts SSE events per response', async () => {
    const result = await runLoad({
      origin: mock.url,
      path: '/long/v1/chat/completions',
      body: JSON.stringify({ stream: true }),
      concurrency: 2,
      durationMs: 60_000,
      maxRequests: 6,
      validate: (_status, body) => (body.includes('[DONE]') ? undefined : 'no [DONE]'),
    });
    expect(result.errors).toBe(0);
    expect(result.requests).toBe(6);
    expect(result.eventsPerResponse).toBe(createOpenAIFrames(createBenchAnswer('long')).length);
    expect(result.latencyMs.count).toBe(6);
    expect(result.ttfbMs.median).toBeLessThanOrEqual(result.latencyMs.median);
    expect(result.requestsPerSecond).toBeGreaterThan(0);
  });

  it('reports HTTP errors with the start of the body', async () => {
    const result = await runLoad({
      origin: mock.url,
      path: '/v1/unknown',
      body: '{}',
      concurrency: 1,
      durationMs: 60_000,
      maxRequests: 2,
    });
    expect(result.errors).toBe(2);
    expect(result.requests).toBe(0);
    expect(result.firstError).toContain('HTTP 404');
  });

  it('reports a failed validation of the first response', async () => {
    const result = await runLoad({
      origin: mock.url,
      path: '/v1/messages',
      body: '{}',
      concurrency: 1,
      durationMs: 60_000,
      maxRequests: 1,
      validate: () => 'not what was expected',
    });
    expect(result.firstError).toBe('not what was expected');
  });
});

describe('LoadSession', () => {
  it('pools the samples of measured slices and leaves unmeasured ones out', async () => {
    const session = new LoadSession({
      origin: mock.url,
      path: '/v1/chat/completions',
      body: '{}',
      concurrency: 1,
    });
    try {
      await session.run({ durationMs: 60_000, measure: false, maxRequests: 5 });
      expect(session.measuredRequests).toBe(0);
      await session.run({ durationMs: 60_000, measure: true, maxRequests: 3 });
      await session.run({ durationMs: 60_000, measure: true, maxRequests: 4 });
    } finally {
      await session.close();
    }
    const result = session.result();
    expect(result.errors).toBe(0);
    expect(result.requests).toBe(7);
    expect(result.latencyMs.count).toBe(7);
    // The rate is over the measured slices' time only, not the unmeasured slice's.
    expect(result.requestsPerSecond).toBeCloseTo((7 / result.elapsedMs) * 1000, 6);
  });

  it('counts a response that straddles the window end by its share inside the window', async () => {
    const session = new LoadSession({
      origin: mock.url,
      path: '/delay-50/v1/chat/completions',
      body: '{}',
      concurrency: 1,
    });
    try {
      await session.run({ durationMs: 120, measure: true });
    } finally {
      await session.close();
    }
    const result = session.result();
    expect(result.errors).toBe(0);
    // Every started response is kept for latency, but the rate covers the 120 ms window only: a
    // third ~50 ms response started at ~100 ms counts for the part of it inside the window.
    expect(result.requests).toBeGreaterThanOrEqual(2);
    expect(result.elapsedMs).toBeCloseTo(120, 0);
    const perResponseMs = result.latencyMs.mean;
    expect(result.requestsPerSecond).toBeGreaterThan((1000 / perResponseMs) * 0.85);
    expect(result.requestsPerSecond).toBeLessThan((1000 / perResponseMs) * 1.15);
  });
});
