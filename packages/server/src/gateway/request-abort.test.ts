import { describe, expect, it, jest } from '@jest/globals';
import type { UpstreamCallInput } from './upstream-call.js';
import {
  RequestAbort,
  createAttemptInput,
  createRequestInput,
  isRequestAborted,
  requestAbortOf,
} from './request-abort.js';

const fields = {
  decision: { provider: 'p', model: 'm', reason: 'default' },
  target: { model: 'm' },
  request: { model: 'x', max_tokens: 1, messages: [] },
  rawBody: undefined,
  inboundHeaders: new Headers(),
  resolveTarget: () => {
    throw new Error('unused');
  },
} as unknown as Omit<UpstreamCallInput, 'signal'>;

describe('RequestAbort', () => {
  it('tells its listeners once, with the reason, and none removed or added too late', () => {
    const abort = new RequestAbort();
    const heard: unknown[] = [];
    const object = { handleEvent: () => heard.push(`object ${String(abort.reason)}`) };
    const removed = jest.fn();
    abort.addEventListener('abort', object);
    abort.addEventListener('abort', () => heard.push('function'));
    abort.addEventListener('abort', removed);
    abort.removeEventListener('abort', removed);
    abort.abort('gone');
    abort.abort('again');
    const late = jest.fn();
    abort.addEventListener('abort', late);
    expect(heard).toEqual(['object gone', 'function']);
    expect(removed).not.toHaveBeenCalled();
    expect(late).not.toHaveBeenCalled();
    expect(abort.aborted).toBe(true);
    expect(abort.reason).toBe('gone');
  });

  it('builds its signal only when read, which follows the aborts before and after', () => {
    const before = new RequestAbort();
    before.abort(new Error('early'));
    expect(before.signal.aborted).toBe(true);
    expect((before.signal.reason as Error).message).toBe('early');

    const after = new RequestAbort();
    const { signal } = after;
    expect(signal.aborted).toBe(false);
    const onAbort = jest.fn();
    signal.addEventListener('abort', onAbort);
    after.abort('late');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('late');
    expect(after.reason).toBe('late');
    expect(onAbort).toHaveBeenCalledTimes(1);
    expect(after.signal).toBe(signal);
  });

  it('gives the reason an AbortController gives when none is passed', () => {
    const lazy = new RequestAbort();
    lazy.abort();
    const real = new AbortController();
    real.abort();
    expect(lazy.reason).toBeInstanceOf(DOMException);
    expect((lazy.reason as DOMException).name).toBe((real.signal.reason as DOMException).name);
    expect(lazy.signal.reason).toBe(lazy.reason);
  });
});

describe('request inputs', () => {
  it('keep the signal unbuilt through an attempt input, and find their abort', () => {
    const abort = new RequestAbort();
    const input = createRequestInput(fields, abort);
    expect(requestAbortOf(input)).toBe(abort);
    const attemptSignal = new AbortController().signal;
    const attempt = createAttemptInput(input, {
      target: fields.target,
      keyIndex: 2,
      signal: attemptSignal,
    });
    expect(attempt).toEqual({ ...fields, keyIndex: 2, signal: attemptSignal });
    expect((abort as unknown as { controller: unknown }).controller).toBeUndefined();
    expect(isRequestAborted(input)).toBe(false);
    abort.abort('gone');
    expect(isRequestAborted(input)).toBe(true);
    expect(input.signal.aborted).toBe(true);
  });

  it("read a wrapper's copy through its own signal", () => {
    const input = createRequestInput(fields, new RequestAbort());
    const own = new AbortController();
    const copy = { ...input, signal: own.signal };
    expect(requestAbortOf(copy)).toBeUndefined();
    own.abort();
    expect(isRequestAborted(copy)).toBe(true);
    const attempt = createAttemptInput(copy, { target: fields.target, signal: own.signal });
    expect(attempt.signal).toBe(own.signal);
    expect(attempt.decision).toBe(fields.decision);
  });
});
