import type { CallOutcome } from '@conduit/core';
import type { ProviderCallResult } from '../providers/provider-adapter.js';
import type { ByteSource, ByteSourceReader } from '../upstream/upstream-response.js';

/**
 * A web stream over a byte source: one `read` of the source per pull (`highWaterMark: 0`, so
 * nothing is read ahead of the consumer); cancelling the stream cancels the source. For a consumer
 * that needs a real `ReadableStream` (a `Response` body, a `pipeThrough`): a stage that only reads
 * its input takes the source itself, since on Node 20 each web stream costs ~15 µs to build.
 */
export function byteSourceToWebStream(source: ByteSource): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let cancelled = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const result = await reader.read();
        // A cancel during the read has closed the stream already.
        if (cancelled) return;
        if (result.done) controller.close();
        else controller.enqueue(result.value);
      },
      async cancel(reason) {
        cancelled = true;
        await reader.cancel(reason).catch(() => undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

/** What {@link createStreamResult} gives a streamed call result besides its fields. */
export interface StreamSourceFields {
  /** The bytes as a web stream, built on first access. */
  readonly stream: ReadableStream<Uint8Array>;
  /** The same bytes read directly (no web stream); read either this or `stream`. */
  openStreamSource(): ByteSource;
}

/** A byte source, and the web stream over it once something asked for one. */
class LazyWebStream {
  private webStream: ReadableStream<Uint8Array> | undefined;
  private sourceOpened = false;
  /** The result these bytes belong to (set once it is made). */
  owner: object | undefined;

  constructor(private source: ByteSource) {}

  get stream(): ReadableStream<Uint8Array> {
    if (this.sourceOpened) throw new Error('The stream is already read as a byte source.');
    this.webStream ??= byteSourceToWebStream(this.source);
    return this.webStream;
  }

  open(): ByteSource {
    if (this.webStream) return this.webStream;
    this.sourceOpened = true;
    return this.source;
  }

  /** Serves `source` from now on (the previous bytes are read by whoever opened them). */
  replace(source: ByteSource): void {
    this.source = source;
    this.webStream = undefined;
    this.sourceOpened = false;
  }
}

/**
 * The bytes of a result made by {@link createStreamResult}, found through its `openStreamSource`
 * (a `WeakMap` from results cost three map operations per streamed answer, and ephemerons the
 * garbage collector treats specially). A copy of the result (a wrapper's spread) shares the
 * function but is not the `owner`, so it is treated as any other result.
 */
function lazyStreamOf(result: object): LazyWebStream | undefined {
  const open = (result as { openStreamSource?: unknown }).openStreamSource;
  if (typeof open !== 'function') return undefined;
  const lazy = (open as { [lazyStreamKey]?: LazyWebStream })[lazyStreamKey];
  return lazy?.owner === result ? lazy : undefined;
}

const lazyStreamKey = Symbol('lazy stream');

/** A streamed call result of {@link createStreamResult}. */
export type StreamResult = Extract<ProviderCallResult, { kind: 'stream' }> & StreamSourceFields;

/**
 * A streamed call result whose `stream` is built from `source` only when something reads it;
 * `openStreamSource()` serves the stages that read the bytes without one (the resilience layer's
 * probe and timers, the client stream), so a short answer reaches the client without any web
 * stream. `stream` is an own enumerable getter: a wrapper that spreads the result still gets a
 * working stream (and `openStreamSource()` then hands out that same stream, never a second
 * reader). The gateway's own stages change such a result in place ({@link extendResult}): a copy
 * would read the getter, and a getter made by `Object.defineProperty` costs a dictionary-mode
 * object (about 1 KB of garbage each time).
 */
export function createStreamResult(
  fields: { getOutcome(): CallOutcome; responseHeaders: Record<string, string> },
  source: ByteSource,
): StreamResult {
  const lazy = new LazyWebStream(source);
  const openStreamSource: (() => ByteSource) & { [lazyStreamKey]?: LazyWebStream } = () =>
    lazy.open();
  openStreamSource[lazyStreamKey] = lazy;
  const result: StreamResult = {
    kind: 'stream',
    get stream() {
      return lazy.stream;
    },
    openStreamSource,
    getOutcome: fields.getOutcome,
    responseHeaders: fields.responseHeaders,
  };
  lazy.owner = result;
  return result;
}

/**
 * `result` with `extra` fields: a result of {@link createStreamResult} is changed in place (it
 * belongs to the one call that made it, and a copy would build its web stream); any other is
 * copied, as before.
 */
export function extendResult<T extends object, E extends object>(result: T, extra: E): T & E {
  if (lazyStreamOf(result)) return Object.assign(result, extra);
  return { ...result, ...extra };
}

/**
 * A streamed result serving `source` instead of its bytes (which the caller opened and reads):
 * in place for a result of {@link createStreamResult}, else a copy with a web stream over it.
 */
export function replaceStreamSource<T extends { stream: ReadableStream<Uint8Array> }>(
  result: T,
  source: ByteSource,
): T {
  const lazy = lazyStreamOf(result);
  if (lazy) {
    lazy.replace(source);
    return result;
  }
  return { ...result, stream: byteSourceToWebStream(source), openStreamSource: undefined };
}

/** The bytes of a streamed result: its byte source when it has one, else its web stream. */
export function openResultSource(result: {
  stream: ReadableStream<Uint8Array>;
  openStreamSource?: () => ByteSource;
}): ByteSource {
  return result.openStreamSource ? result.openStreamSource() : result.stream;
}

/** A read that already ended, shared (readers return it after a cancel). */
export const endedRead: ReadableStreamReadResult<Uint8Array> = { done: true, value: undefined };

export type { ByteSource, ByteSourceReader };
