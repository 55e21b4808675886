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
 */
export function createTimedStream(options: TimedStreamOptions): ReadableStream<Uint8Array> {
  const { reader, clock } = options;
  const pending = [...options.chunks];
  let settled = false;
  const settle = (end: TimedStreamEnd) => {
    if (settled) return;
    settled = true;
    options.onSettled(end);
  };
  const timeOut = (
    controller: ReadableStreamDefaultController<Uint8Array>,
    kind: 'idle' | 'total',
  ) => {
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
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
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
        const remaining = options.deadline - clock.now();
        if (remaining <= 0) {
          timeOut(controller, 'total');
          return;
        }
        const kind: 'idle' | 'total' = remaining < options.idleMs ? 'total' : 'idle';
        let cancelTimer: () => void = () => undefined;
        const timer = new Promise<'timeout'>(resolve => {
          cancelTimer = clock.setTimer(
            () => resolve('timeout'),
            Math.min(remaining, options.idleMs),
          );
        });
        let outcome: 'timeout' | ReadableStreamReadResult<Uint8Array>;
        try {
          outcome = await Promise.race([reader.read(), timer]);
        } catch (error) {
          cancelTimer();
          settle('failed');
          controller.error(error);
          return;
        }
        cancelTimer();
        if (outcome === 'timeout') {
          timeOut(controller, kind);
          return;
        }
        if (outcome.done) {
          controller.close();
          settle('completed');
          return;
        }
        controller.enqueue(outcome.value);
      },
      async cancel(reason) {
        settle('cancelled');
        await reader.cancel(reason).catch(() => undefined);
      },
    },
    { highWaterMark: 0 },
  );
}
