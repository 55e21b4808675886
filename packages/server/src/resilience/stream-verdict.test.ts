import { describe, expect, it } from '@jest/globals';
import type { UpstreamCallResult } from '../gateway/upstream-call.js';
import { judgeStreamEnd } from './stream-verdict.js';

const streamEndingWith = (errorType: string | undefined) =>
  ({
    kind: 'stream',
    stream: new ReadableStream(),
    responseHeaders: {},
    getOutcome: () => ({ ...(errorType === undefined ? {} : { errorType }) }),
  }) as unknown as UpstreamCallResult;

describe('judgeStreamEnd (the circuit breaker’s verdict on a finished stream, by how it ended)', () => {
  it.each([
    ['a clean end', 'completed', undefined, false, 'success'],
    ['a cut or timed-out stream', 'failed', undefined, false, 'failure'],
    ['an overloaded_error event mid-stream', 'completed', 'overloaded_error', false, 'failure'],
    ['a connection lost mid-stream', 'completed', 'stream_error', false, 'failure'],
    [
      'a stream that stopped before message_stop',
      'completed',
      'stream_incomplete',
      false,
      'failure',
    ],
    ['a client error event', 'completed', 'invalid_request_error', false, 'success'],
    ['a client that went away', 'cancelled', undefined, false, 'none'],
    ['a read failing because the client went away', 'failed', undefined, true, 'none'],
  ] as const)('%s: %s', (_label, end, errorType, clientGone, verdict) => {
    expect(judgeStreamEnd(end, streamEndingWith(errorType), clientGone)).toBe(verdict);
  });
});
