import { ProviderAPIError } from '@conduit/core';
import { describe, expect, it } from '@jest/globals';
import type { ByteSource } from '../streaming/byte-source-stream.js';
import { findFirstFrameEnd, judgeArrivedStream, probeFirstFrame } from './first-frame-probe.js';

const target = { provider: 'anthropic', model: 'claude' };

/** A source that hands out `texts` one read each, then its end. */
function sourceOf(texts: string[]): ByteSource {
  const chunks = texts.map(text => new TextEncoder().encode(text));
  return {
    getReader: () => ({
      read: async () => {
        const value = chunks.shift();
        return value ? { done: false, value } : { done: true, value: undefined };
      },
      cancel: async () => undefined,
    }),
  };
}

function probe(texts: string[]) {
  return probeFirstFrame(sourceOf(texts), { target, signal: new AbortController().signal });
}

const messageStart =
  'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":3}}}\n\n';

describe('probeFirstFrame', () => {
  it('hands back a first read that holds a complete first frame, unread further', async () => {
    const probed = await probe([`${messageStart}event: ping\ndata: {"type":"ping"}\n\n`, 'rest']);
    expect(probed.done).toBe(false);
    expect(probed.chunks).toHaveLength(1);
  });

  it('throws a transient error event found in the first read', async () => {
    const error = await probe([
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"busy"}}\n\n',
    ]).catch((caught: unknown) => caught);
    expect(ProviderAPIError.isInstance(error)).toBe(true);
    expect((error as ProviderAPIError).statusCode).toBe(529);
    expect((error as ProviderAPIError).message).toContain('busy');
  });

  it('reads an error type spelled with JSON escapes, without an event line', async () => {
    const error = await probe([
      'data: {"type":"\\u0065rror","error":{"type":"rate_limit_\\u0065rror"}}\r\n\r\n',
    ]).catch((caught: unknown) => caught);
    expect((error as ProviderAPIError).statusCode).toBe(429);
  });

  it('classifies a first frame split across reads as before', async () => {
    const error = await probe([
      'event: error\ndata: {"type":"error",',
      '"error":{"type":"api_error","message":"cut"}}\n\n',
    ]).catch((caught: unknown) => caught);
    expect((error as ProviderAPIError).failure).toBe('connection');
  });

  it('passes a non-transient error event on to the client', async () => {
    const probed = await probe([
      'event: error\ndata: {"type":"error","error":{"type":"invalid_request_error"}}\n\n',
    ]);
    expect(probed.chunks).toHaveLength(1);
  });
});

/** What `run` threw (undefined when it did not), compared by the fields the caller reads. */
async function outcomeOf(run: () => unknown): Promise<unknown> {
  try {
    await run();
    return 'passed';
  } catch (error) {
    if (!ProviderAPIError.isInstance(error)) throw error;
    const { message, statusCode, failure, isRetryable } = error;
    return { message, statusCode, failure, isRetryable };
  }
}

describe('judgeArrivedStream', () => {
  // Bodies as reads: each case is judged whole and by the probe, which must agree.
  const cases: Record<string, string[]> = {
    'a usual first read': [`${messageStart}event: ping\ndata: {"type":"ping"}\n\n`],
    'no byte at all': [],
    'only empty reads': ['', ''],
    'blank bytes only': ['\n\n\n'],
    'a transient error event': [
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"busy"}}\n\n',
    ],
    'an error spelled with escapes, CRLF': [
      'data: {"type":"\\u0065rror","error":{"type":"rate_limit_\\u0065rror"}}\r\n\r\n',
    ],
    'an error frame split across reads': [
      'event: error\ndata: {"type":"error",',
      '"error":{"type":"api_error","message":"cut"}}\n\n',
    ],
    'an error frame the body leaves unfinished': [
      'event: error\ndata: {"type":"error","error":{"type":"timeout_error","message":"late"}}',
    ],
    'a non-transient error event': [
      'event: error\ndata: {"type":"error","error":{"type":"invalid_request_error"}}\n\n',
    ],
    'a non-ASCII start with a multi-byte character split across reads': [
      '\u00a0event: error\ndata: {"type":"error","error":{"type":"api_error","message":"\u00e9',
      '\u00e9"}}\n\n',
    ],
    'a first frame longer than a probe read': [`data: ${'x'.repeat(70 * 1024)}\n\n`],
  };

  it.each(Object.entries(cases))('agrees with the probe on %s', async (_name, texts) => {
    const chunks = texts.map(text => new TextEncoder().encode(text));
    const whole = await outcomeOf(() => judgeArrivedStream(chunks, target));
    expect(whole).toEqual(await outcomeOf(() => probe(texts)));
  });

  it('throws for an empty body and a transient first error, passes a usual one', () => {
    expect(() => judgeArrivedStream([], target)).toThrow(/closed the response stream/);
    expect(() =>
      judgeArrivedStream([new TextEncoder().encode(cases['a transient error event']![0]!)], target),
    ).toThrow(/busy/);
    expect(() =>
      judgeArrivedStream([new TextEncoder().encode(cases['a usual first read']![0]!)], target),
    ).not.toThrow();
  });
});

describe('findFirstFrameEnd', () => {
  const end = (text: string) => findFirstFrameEnd(new TextEncoder().encode(text));

  it('finds the blank line after the first non-blank character', () => {
    expect(end('\r\n\n event: a\n\nevent: b\n\n')).toBe('\r\n\n event: a\n\n'.length);
    expect(end('data: a\r\n\r\nmore')).toBe('data: a\r\n\r\n'.length);
    expect(end('data: a\n\r\nmore')).toBe('data: a\n\r\n'.length);
  });

  it('finds none in an open frame, blank bytes, or a non-ASCII start (left to the text path)', () => {
    expect(end('data: a\r\r\n')).toBeUndefined();
    expect(end('\n\n\n')).toBeUndefined();
    expect(end('\u00a0data: a\n\n')).toBeUndefined();
  });
});
