import type { ProviderAPIError } from '@conduit/core';
import { encodeSSEError } from '../sse/encode-sse-event.js';
import type { ResilienceClock } from './resilience-clock.js';

const encoder = new TextEncoder();

/** Settings of {@link createTimedStream}. */
export interface TimedStreamOptions {
  /** Chunks already read (the first-frame probe), sent first. */
  chunks: Uint8Array[];
  reader: ReadableStreamDefaultReader<Uint8Array>;
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
 * line has gone out, and cancels the upstream.
 *
 * One timer serves the whole stream: a timer per chunk (and a `Promise.race` with the read) cost a
 * noticeable share of the gateway's CPU on streams of many small chunks. A wait only notes when it
 * expires; the timer, armed for the wait that found none running, checks on firing whether a later
 * wait is now current and then re-arms for that wait's remainder. It never fires late: each wait
 * expires at `min(start + idleMs, deadline)`, so an earlier wait's timer fires no later.
 */
export function createTimedStream(options: TimedStreamOptions): ReadableStream<Uint8Array> {
  const { reader, clock } = options;
  const pending = [...options.chunks];
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let settled = false;
  /** The current wait for an upstream chunk: its number, and when and how it times out. */
  let waiting = false;
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
  const timeOut = (kind: 'idle' | 'total') => {
    const error = options.createTimeoutError(
      kind,
      kind === 'idle' ? options.idleMs : options.totalMs,
    );
    // The blank lines end a frame the upstream may have left half-written.
    controller.enqueue(encoder.encode(`\n\n${encodeSSEError('timeout_error', error.message)}`));
    controller.close();
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
    if (settled || !waiting) return;
    if (timerWait === wait) {
      timeOut(waitKind);
      return;
    }
    const remaining = waitExpiresAt - clock.now();
    if (remaining <= 0) timeOut(waitKind);
    else arm(remaining);
  }
  const onRead = (result: ReadableStreamReadResult<Uint8Array>) => {
    waiting = false;
    // A timeout or the client's cancel already ended the stream.
    if (settled) return;
    if (result.done) {
      controller.close();
      settle('completed');
      return;
    }
    controller.enqueue(result.value);
  };
  const onReadError = (error: unknown) => {
    waiting = false;
    if (settled) return;
    settle('failed');
    controller.error(error);
  };

  return new ReadableStream<Uint8Array>(
    {
      start(streamController) {
        controller = streamController;
      },
      pull() {
        const next = pending.shift();
        if (next) {
          controller.enqueue(next);
          return;
        }
        if (options.done) {
          controller.close();
          settle('completed');
          return;
        }
        const now = clock.now();
        const remaining = options.deadline - now;
        if (remaining <= 0) {
          timeOut('total');
          return;
        }
        const limit = Math.min(remaining, options.idleMs);
        wait++;
        waiting = true;
        waitKind = remaining < options.idleMs ? 'total' : 'idle';
        waitExpiresAt = now + limit;
        if (!cancelTimer) arm(limit);
        // After a timeout the cancelled reader settles this read and `onRead` ignores it.
        return reader.read().then(onRead, onReadError);
      },
      async cancel(reason) {
        settle('cancelled');
        await reader.cancel(reason).catch(() => undefined);
      },
    },
    { highWaterMark: 0 },
  );
}
