import { describe, expect, it } from '@jest/globals';
import type { RoutingDecision } from '@conduit/core';
import type { RequestEvent } from '../api-schemas.js';
import { type ObservedRequest, RequestFeed, toRequestEvent } from './request-feed.js';

const price = (_provider: string, model: string, tokens: { inputTokens: number }) =>
  model === 'unpriced' ? null : tokens.inputTokens / 1000;

function observed(index: number, overrides: Partial<ObservedRequest> = {}): ObservedRequest {
  const decision = {
    provider: 'alpha',
    model: index % 2 === 0 ? 'small' : 'unpriced',
    reason: 'default',
    scenario: 'default',
    fallbacks: ['beta,large'],
    metadata: {},
  } as unknown as RoutingDecision; // the fields the log reads; a test decision has no token count
  return {
    requestId: `req_${index}`,
    startedAt: 1_700_000_000_000 + index,
    metadata: { requestedModel: 'claude', projectId: index % 3 === 0 ? 'p' : '', agentId: 7 },
    decision,
    servedBy: index % 4 === 0 ? { provider: 'beta', model: 'large' } : null,
    usage: { input_tokens: 100 + index, output_tokens: 5, cache_read_input_tokens: null },
    usageEstimated: false,
    latencyMs: 12.5,
    ttfbMs: 3,
    upstreamMs: 10,
    status: 200,
    errorType: null,
    streamed: index % 2 === 1,
    ...overrides,
  };
}

describe('RequestFeed', () => {
  it('keeps the last `capacity` requests, newest first, each read as toRequestEvent shows it', () => {
    const feed = new RequestFeed(5, price);
    for (let index = 0; index < 12; index++) feed.record(observed(index));
    const listed = feed.list(10);
    expect(listed.map(event => event.id)).toEqual(['req_11', 'req_10', 'req_9', 'req_8', 'req_7']);
    listed.forEach((event, position) => {
      expect(event).toEqual(toRequestEvent(observed(11 - position), price));
    });
    expect(feed.list(2).map(event => event.id)).toEqual(['req_11', 'req_10']);
    expect(feed.find('req_8')).toEqual(toRequestEvent(observed(8), price));
    expect(feed.find('req_6')).toBeUndefined();
  });

  it('shows a request as it was when it finished', () => {
    const feed = new RequestFeed(3, price);
    const request = observed(2);
    feed.record(request);
    const expected = toRequestEvent(observed(2), price);
    request.metadata.projectId = 'changed later';
    request.usage!.input_tokens = 1;
    expect(feed.find('req_2')).toEqual(expected);
  });

  it('builds each event when a stream listens, and for a caller that asks', () => {
    const feed = new RequestFeed(3, price);
    const received: RequestEvent[] = [];
    expect(feed.record(observed(1))).toBeUndefined();
    expect(feed.record(observed(2), true)).toEqual(toRequestEvent(observed(2), price));
    const unsubscribe = feed.subscribe(event => received.push(event));
    feed.record(observed(3));
    unsubscribe();
    feed.record(observed(4));
    expect(received).toEqual([toRequestEvent(observed(3), price)]);
    expect(feed.list(3).map(event => event.id)).toEqual(['req_4', 'req_3', 'req_2']);
  });

  it('mixes peer events with its own requests', () => {
    const feed = new RequestFeed(3, price);
    feed.record(observed(1));
    const peer = { ...toRequestEvent(observed(2), price), id: 'peer_1', instance: 'b' };
    feed.publish(peer);
    feed.record(observed(3));
    expect(feed.list(3)).toEqual([
      toRequestEvent(observed(3), price),
      peer,
      toRequestEvent(observed(1), price),
    ]);
    feed.record(observed(4));
    feed.record(observed(5));
    expect(feed.find('peer_1')).toBeUndefined();
    expect(feed.list(3).map(event => event.id)).toEqual(['req_5', 'req_4', 'req_3']);
  });

  it('keeps no requests at capacity 0 but still feeds the streams', () => {
    const feed = new RequestFeed(0, price);
    const received: RequestEvent[] = [];
    feed.subscribe(event => received.push(event));
    feed.record(observed(1));
    expect(received.map(event => event.id)).toEqual(['req_1']);
    expect(feed.list(5)).toEqual([]);
  });

  it('does not hold the request or its decision (which can hold the body)', () => {
    const feed = new RequestFeed(2, price);
    const request = observed(1);
    let counted = 0;
    // As the router's lazy count: a getter that tokenizes the body on first read.
    Object.defineProperty(request.decision!, 'tokenCount', {
      configurable: true,
      enumerable: true,
      get: () => {
        counted++;
        return 42;
      },
    });
    feed.record(request);
    const event = feed.list(1)[0]!;
    expect(event.tokenCount).toBeNull();
    expect(counted).toBe(0);
    expect(Object.values(event)).not.toContain(request.decision);
    expect(event.fallbacks).not.toBe(request.decision!.fallbacks);
  });
});
