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
  return new TimedSource(options);
}

type ReadResult = ReadableStreamReadResult<Uint8Array>;

/**
 * The state of {@link createTimedSource} as one object that is its own reader: closures for each
 * step would be a dozen objects per stream, garbage on every short answer.
 */
class TimedSource implements ByteSource, ByteSourceReader {
  private readonly options: TimedStreamOptions;
  private readonly reader: ByteSourceReader;
  private readonly clock: ResilienceClock;
  private readonly pending: Uint8Array[];
  /** No more upstream reads: the source ended, failed, timed out or was cancelled. */
  private closed = false;
  private failure: { error: unknown } | undefined;
  private settled = false;
  /** The read waiting for an upstream chunk. */
  private waiter: { resolve(result: ReadResult): void; reject(error: unknown): void } | undefined;
  /** The current wait for an upstream chunk: its number, and when and how it times out. */
  private wait = 0;
  private waitExpiresAt = 0;
  private waitKind: 'idle' | 'total' = 'idle';
  /** The running timer, and the wait it was armed for. */
  private cancelTimer: (() => void) | undefined;
  private timerWait = 0;

  constructor(options: TimedStreamOptions) {
    this.options = options;
    this.reader = options.reader;
    this.clock = options.clock;
    this.pending = options.chunks.slice();
  }

  getReader(): ByteSourceReader {
    return this;
  }

  read(): Promise<ReadResult> {
    const next = this.pending.shift();
    if (next) return Promise.resolve({ done: false, value: next });
    if (this.failure) return Promise.reject(this.failure.error);
    if (this.closed) return Promise.resolve(endedRead);
    const options = this.options;
    if (options.done) {
      this.closed = true;
      this.settle('completed');
      return Promise.resolve(endedRead);
    }
    const now = this.clock.now();
    const remaining = options.deadline - now;
    if (remaining <= 0) {
      this.timeOut('total');
      return this.read();
    }
    const limit = Math.min(remaining, options.idleMs);
    this.wait++;
    this.waitKind = remaining < options.idleMs ? 'total' : 'idle';
    this.waitExpiresAt = now + limit;
    const result = new Promise<ReadResult>((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
    if (!this.cancelTimer) this.arm(limit);
    // After a timeout the cancelled reader settles this read and `onRead` ignores it.
    this.reader.read().then(this.onRead, this.onReadError);
    return result;
  }

  async cancel(reason?: unknown): Promise<void> {
    this.closed = true;
    this.pending.length = 0;
    this.settle('cancelled');
    this.takeWaiter()?.resolve(endedRead);
    await this.reader.cancel(reason).catch(() => undefined);
  }

  private stopTimer(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private settle(end: TimedStreamEnd): void {
    if (this.settled) return;
    this.settled = true;
    this.stopTimer();
    this.options.onSettled(end);
  }

  private takeWaiter() {
    const current = this.waiter;
    this.waiter = undefined;
    return current;
  }

  private timeOut(kind: 'idle' | 'total'): void {
    const options = this.options;
    const error = options.createTimeoutError(
      kind,
      kind === 'idle' ? options.idleMs : options.totalMs,
    );
    this.closed = true;
    // The blank lines end a frame the upstream may have left half-written.
    const frame = encoder.encode(`\n\n${encodeSSEError('timeout_error', error.message)}`);
    const current = this.takeWaiter();
    if (current) current.resolve({ done: false, value: frame });
    else this.pending.push(frame);
    options.onTimeout(error);
    this.reader.cancel(error).catch(() => undefined);
    this.settle('failed');
  }

  private arm(milliseconds: number): void {
    this.timerWait = this.wait;
    this.cancelTimer = this.clock.setTimer(this.onTimer, milliseconds);
  }

  private readonly onTimer = () => {
    this.cancelTimer = undefined;
    // No wait is running (the client has not asked for more): the next wait arms a new timer.
    if (this.settled || !this.waiter) return;
    if (this.timerWait === this.wait) {
      this.timeOut(this.waitKind);
      return;
    }
    const remaining = this.waitExpiresAt - this.clock.now();
    if (remaining <= 0) this.timeOut(this.waitKind);
    else this.arm(remaining);
  };

  private readonly onRead = (result: ReadResult) => {
    // A timeout or the client's cancel already answered the read.
    const current = this.takeWaiter();
    if (!current || this.settled) return;
    if (result.done) {
      this.closed = true;
      this.settle('completed');
    }
    current.resolve(result);
  };

  private readonly onReadError = (error: unknown) => {
    const current = this.takeWaiter();
    if (!current || this.settled) return;
    this.closed = true;
    this.failure = { error };
    this.settle('failed');
    current.reject(error);
  };
}
