import type { ProviderAPIError } from '@conduit/core';
import { encodeSSEError } from '../sse/encode-sse-event.js';
import {
  type ByteSource,
  type ByteSourceReader,
  byteSourceToWebStream,
  endedRead,
} from '../streaming/byte-source-stream.js';
import type { ResilienceClock } from './resilience-clock.js';

const encoder = new TextEncoder();

/** Settings of {@link createTimedStream}. */
export interface TimedStreamOptions {
  /** Chunks already read (the first-frame probe), sent first. */
  chunks: Uint8Array[];
  reader: ByteSourceReader;
  /** The source already ended inside the probe. */
  done: boolean;
  /** Longest wait for the next upstream chunk. */
  idleMs: number;
  /** Absolute end of the request's total budget (clock ms). */
  deadline: number;
  clock: ResilienceClock;
  /** Builds the error that ends the stream for an `idle` or `total` timeout. */
  createTimeoutError(kind: 'idle' | 'total', timeoutMs: number): ProviderAPIError;
  totalMs: number;
  /** Called once when a timeout ended the stream (aborts the upstream request). */
  onTimeout(error: ProviderAPIError): void;
  /**
   * Called once when the stream is over, however it ended: `completed` (the upstream ended it),
   * `failed` (a read error or a timeout: the upstream failed mid-stream) or `cancelled` (the
   * client went away).
   */
  onSettled(end: TimedStreamEnd): void;
}

/** How a timed stream ended (see {@link TimedStreamOptions.onSettled}). */
export type TimedStreamEnd = 'completed' | 'failed' | 'cancelled';

/**
 * The client-facing stream after the first frame: replays the probed chunks, then pulls from the
 * upstream one chunk per client read (`highWaterMark: 0`, so a slow client slows the upstream read
 * and nothing piles up here). While waiting for a chunk it enforces the idle and total timeouts;
 * on expiry it ends the stream with an Anthropic `event: error` (`timeout_error`), since the status
 * line has gone out, and cancels the upstream. A web stream over {@link createTimedSource}.
 */
export function createTimedStream(options: TimedStreamOptions): ReadableStream<Uint8Array> {
  return byteSourceToWebStream(createTimedSource(options));
}

/**
 * {@link createTimedStream} as a byte source: the same reads, timeouts and settling, without a web
 * stream (a short answer read whole by the client stream never needs one). One read at a time; a
 * cancel ends a read still pending (as a web stream's reader does).
 *
 * One timer serves the whole stream: a timer per chunk (and a `Promise.race` with the read) cost a
 * noticeable share of the gateway's CPU on streams of many small chunks. A wait only notes when it
 * expires; the timer, armed for the wait that found none running, checks on firing whether a later
 * wait is now current and then re-arms for that wait's remainder. It never fires late: each wait
 * expires at `min(start + idleMs, deadline)`, so an earlier wait's timer fires no later.
 */
export function createTimedSource(options: TimedStreamOptions): ByteSource {
  const { reader, clock } = options;
  const pending = [...options.chunks];
  /** No more upstream reads: the source ended, failed, timed out or was cancelled. */
  let closed = false;
  let failure: { error: unknown } | undefined;
  let settled = false;
  /** The read waiting for an upstream chunk. */
  let waiter:
    | {
        resolve(result: ReadableStreamReadResult<Uint8Array>): void;
        reject(error: unknown): void;
      }
    | undefined;
  /** The current wait for an upstream chunk: its number, and when and how it times out. */
  let wait = 0;
  let waitExpiresAt = 0;
  let waitKind: 'idle' | 'total' = 'idle';
  /** The running timer, and the wait it was armed for. */
  let cancelTimer: (() => void) | undefined;
  let timerWait = 0;

  const stopTimer = () => {
    cancelTimer?.();
    cancelTimer = undefined;
  };
  const settle = (end: TimedStreamEnd) => {
    if (settled) return;
    settled = true;
    stopTimer();
    options.onSettled(end);
  };
  const takeWaiter = () => {
    const current = waiter;
    waiter = undefined;
    return current;
  };
  const timeOut = (kind: 'idle' | 'total') => {
    const error = options.createTimeoutError(
      kind,
      kind === 'idle' ? options.idleMs : options.totalMs,
    );
    closed = true;
    // The blank lines end a frame the upstream may have left half-written.
    const frame = encoder.encode(`\n\n${encodeSSEError('timeout_error', error.message)}`);
    const current = takeWaiter();
    if (current) current.resolve({ done: false, value: frame });
    else pending.push(frame);
    options.onTimeout(error);
    reader.cancel(error).catch(() => undefined);
    settle('failed');
  };
  const arm = (milliseconds: number) => {
    timerWait = wait;
    cancelTimer = clock.setTimer(onTimer, milliseconds);
  };
  function onTimer() {
    cancelTimer = undefined;
    // No wait is running (the client has not asked for more): the next wait arms a new timer.
    if (settled || !waiter) return;
    if (timerWait === wait) {
      timeOut(waitKind);
      return;
    }
    const remaining = waitExpiresAt - clock.now();
    if (remaining <= 0) timeOut(waitKind);
    else arm(remaining);
  }
  const onRead = (result: ReadableStreamReadResult<Uint8Array>) => {
    // A timeout or the client's cancel already answered the read.
    const current = takeWaiter();
    if (!current || settled) return;
    if (result.done) {
      closed = true;
      settle('completed');
    }
    current.resolve(result);
  };
  const onReadError = (error: unknown) => {
    const current = takeWaiter();
    if (!current || settled) return;
    closed = true;
    failure = { error };
    settle('failed');
    current.reject(error);
  };

  const read = (): Promise<ReadableStreamReadResult<Uint8Array>> => {
    const next = pending.shift();
    if (next) return Promise.resolve({ done: false, value: next });
    if (failure) return Promise.reject(failure.error);
    if (closed) return Promise.resolve(endedRead);
    if (options.done) {
      closed = true;
      settle('completed');
      return Promise.resolve(endedRead);
    }
    const now = clock.now();
    const remaining = options.deadline - now;
    if (remaining <= 0) {
      timeOut('total');
      return read();
    }
    const limit = Math.min(remaining, options.idleMs);
    wait++;
    waitKind = remaining < options.idleMs ? 'total' : 'idle';
    waitExpiresAt = now + limit;
    const result = new Promise<ReadableStreamReadResult<Uint8Array>>((resolve, reject) => {
      waiter = { resolve, reject };
    });
    if (!cancelTimer) arm(limit);
    // After a timeout the cancelled reader settles this read and `onRead` ignores it.
    reader.read().then(onRead, onReadError);
    return result;
  };
  return {
    getReader: () => ({
      read,
      async cancel(reason) {
        closed = true;
        pending.length = 0;
        settle('cancelled');
        takeWaiter()?.resolve(endedRead);
        await reader.cancel(reason).catch(() => undefined);
      },
    }),
  };
}
