import { ProviderAPIError } from '@conduit/core';
import { describe, expect, it } from '@jest/globals';
import type { ResilienceClock } from './resilience-clock.js';
import { type TimedStreamEnd, createTimedStream } from './timed-stream.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Time that moves only when the test advances it; due timers run in order as it does. */
class ManualClock implements ResilienceClock {
  time = 1_000_000;
  timersArmed = 0;
  private timers: { at: number; callback: () => void }[] = [];
  now = () => this.time;
  sleep = () => Promise.resolve();
  setTimer = (callback: () => void, milliseconds: number) => {
    this.timersArmed++;
    const timer = { at: this.time + milliseconds, callback };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter(other => other !== timer);
    };
  };
  get pendingTimers(): number {
    return this.timers.length;
  }
  /** Moves time forward by `milliseconds`, running each timer that falls due on the way. */
  async advance(milliseconds: number): Promise<void> {
    // Let the stream react to what the test just did (start its next wait) before time moves.
    await settleMicrotasks();
    const end = this.time + milliseconds;
    for (;;) {
      const due = this.timers
        .filter(timer => timer.at <= end)
        .sort((left, right) => left.at - right.at)[0];
      if (!due) break;
      this.timers = this.timers.filter(timer => timer !== due);
      this.time = due.at;
      due.callback();
      await settleMicrotasks();
    }
    this.time = end;
    await settleMicrotasks();
  }
}

const settleMicrotasks = () => new Promise<void>(resolve => setImmediate(resolve));

/** An upstream whose chunks the test pushes one by one. */
function controllableUpstream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let cancelReason: unknown;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
      },
      cancel(reason) {
        cancelReason = reason;
      },
    },
    { highWaterMark: 0 },
  );
  return {
    reader: stream.getReader(),
    push: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
    fail: (error: Error) => controller.error(error),
    cancelReason: () => cancelReason,
  };
}

function setup(options: { idleMs?: number; totalMs?: number; probed?: string[] } = {}) {
  const clock = new ManualClock();
  const upstream = controllableUpstream();
  const idleMs = options.idleMs ?? 300;
  const totalMs = options.totalMs ?? 10_000;
  const ends: TimedStreamEnd[] = [];
  const timeouts: ProviderAPIError[] = [];
  const stream = createTimedStream({
    chunks: (options.probed ?? ['probe;']).map(text => encoder.encode(text)),
    reader: upstream.reader,
    done: false,
    idleMs,
    totalMs,
    deadline: clock.now() + totalMs,
    clock,
    createTimeoutError: (kind, timeoutMs) =>
      new ProviderAPIError({ message: `${kind} timeout of ${timeoutMs} ms`, provider: 'x' }),
    onTimeout: error => timeouts.push(error),
    onSettled: end => ends.push(end),
  });
  const reader = stream.getReader();
  const received: string[] = [];
  let finished = false;
  let failure: unknown;
  // The client reads continuously, as a fast client does.
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received.push(decoder.decode(value));
      }
      finished = true;
    } catch (error) {
      failure = error;
    }
  })();
  return {
    clock,
    upstream,
    reader,
    ends,
    timeouts,
    text: () => received.join(''),
    finished: () => finished,
    failure: () => failure,
  };
}

describe('createTimedStream', () => {
  it('passes the probed and upstream chunks through and completes with the upstream', async () => {
    const { clock, upstream, text, finished, ends, timeouts } = setup();
    await clock.advance(0);
    for (const chunk of ['a;', 'b;', 'c;']) {
      upstream.push(chunk);
      await clock.advance(200);
    }
    upstream.end();
    await clock.advance(0);
    expect(text()).toBe('probe;a;b;c;');
    expect(finished()).toBe(true);
    expect(ends).toEqual(['completed']);
    expect(timeouts).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('ends a stream that keeps sending chunks less than idleMs apart only at its end', async () => {
    // Each gap is shorter than idleMs, while their sum is many times it.
    const { clock, upstream, text, ends, timeouts } = setup({ idleMs: 300 });
    await clock.advance(0);
    for (let index = 0; index < 10; index++) {
      await clock.advance(250);
      upstream.push(`${index};`);
      await clock.advance(0);
    }
    expect(timeouts).toEqual([]);
    expect(ends).toEqual([]);
    expect(text()).toBe('probe;0;1;2;3;4;5;6;7;8;9;');
  });

  it('arms one timer for a burst of chunks, not one per chunk', async () => {
    const { clock, upstream, text } = setup();
    await clock.advance(0);
    for (let index = 0; index < 100; index++) upstream.push('x');
    await clock.advance(0);
    expect(text()).toBe(`probe;${'x'.repeat(100)}`);
    expect(clock.timersArmed).toBe(1);
  });

  it('ends with a timeout_error event when the upstream goes silent for idleMs', async () => {
    const { clock, upstream, text, finished, ends, timeouts } = setup({ idleMs: 300 });
    await clock.advance(0);
    upstream.push('a;');
    await clock.advance(250);
    upstream.push('b;');
    await clock.advance(299);
    expect(timeouts).toEqual([]);
    await clock.advance(1);
    expect(timeouts.map(error => error.message)).toEqual(['idle timeout of 300 ms']);
    expect(text()).toMatch(
      /^probe;a;b;\n\nevent: error\ndata: \{"type":"error","error":\{"type":"timeout_error","message":"idle timeout of 300 ms"\}\}\n\n$/,
    );
    expect(finished()).toBe(true);
    expect(ends).toEqual(['failed']);
    expect(upstream.cancelReason()).toBe(timeouts[0]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('does not count the time the client takes to ask for more', async () => {
    const clock = new ManualClock();
    const upstream = controllableUpstream();
    const timeouts: ProviderAPIError[] = [];
    const stream = createTimedStream({
      chunks: [],
      reader: upstream.reader,
      done: false,
      idleMs: 300,
      totalMs: 10_000,
      deadline: clock.now() + 10_000,
      clock,
      createTimeoutError: (kind, timeoutMs) =>
        new ProviderAPIError({ message: `${kind} ${timeoutMs}`, provider: 'x' }),
      onTimeout: error => timeouts.push(error),
      onSettled: () => undefined,
    });
    const reader = stream.getReader();
    const first = reader.read();
    await clock.advance(100);
    upstream.push('a;');
    expect(decoder.decode((await first).value)).toBe('a;');
    // A slow client: nothing is read for far longer than idleMs.
    await clock.advance(5_000);
    expect(timeouts).toEqual([]);
    const second = reader.read();
    await clock.advance(200);
    upstream.push('b;');
    expect(decoder.decode((await second).value)).toBe('b;');
    const third = reader.read();
    await clock.advance(300);
    expect(timeouts.map(error => error.message)).toEqual(['idle 300']);
    expect(decoder.decode((await third).value)).toContain('timeout_error');
  });

  it('ends with a total timeout when the deadline comes first', async () => {
    const { clock, upstream, text, ends, timeouts } = setup({ idleMs: 300, totalMs: 1_000 });
    await clock.advance(0);
    for (let index = 0; index < 4; index++) {
      await clock.advance(200);
      upstream.push(`${index};`);
      await clock.advance(0);
    }
    await clock.advance(199);
    expect(timeouts).toEqual([]);
    await clock.advance(1);
    expect(timeouts.map(error => error.message)).toEqual(['total timeout of 1000 ms']);
    expect(text()).toContain('"message":"total timeout of 1000 ms"');
    expect(ends).toEqual(['failed']);
  });

  it('settles as cancelled and cancels the upstream when the client goes away', async () => {
    const { clock, upstream, reader, ends, timeouts } = setup();
    await clock.advance(0);
    upstream.push('a;');
    await clock.advance(100);
    await reader.cancel('client gone');
    await clock.advance(1_000);
    expect(ends).toEqual(['cancelled']);
    expect(upstream.cancelReason()).toBe('client gone');
    expect(timeouts).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('fails with the upstream’s read error', async () => {
    const { clock, upstream, ends, timeouts, failure } = setup();
    await clock.advance(0);
    upstream.fail(new Error('socket hang up'));
    await clock.advance(0);
    expect((failure() as Error).message).toBe('socket hang up');
    expect(ends).toEqual(['failed']);
    await clock.advance(1_000);
    expect(timeouts).toEqual([]);
  });
});
