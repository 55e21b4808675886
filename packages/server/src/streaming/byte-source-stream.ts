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

/** What {@link withStreamSource} adds to a streamed call result. */
export interface StreamSourceFields {
  /** The bytes as a web stream, built on first access. */
  readonly stream: ReadableStream<Uint8Array>;
  /** The same bytes read directly (no web stream); read either this or `stream`. */
  openStreamSource(): ByteSource;
}

/**
 * Gives `fields` a `stream` built from `source` only when something reads it, and
 * `openStreamSource()` for the stages that read the bytes without one (the resilience layer's
 * probe and timers, the client stream). A short answer then reaches the client without any web
 * stream. `stream` is an enumerable getter, so a wrapper that spreads the result still gets a
 * working stream (and `openStreamSource()` then hands out that same stream, never a second reader).
 */
export function withStreamSource<T extends object>(
  fields: T,
  source: ByteSource,
): T & StreamSourceFields {
  let webStream: ReadableStream<Uint8Array> | undefined;
  let sourceOpened = false;
  return Object.defineProperties(fields, {
    stream: {
      enumerable: true,
      configurable: true,
      get() {
        if (sourceOpened) throw new Error('The stream is already read as a byte source.');
        webStream ??= byteSourceToWebStream(source);
        return webStream;
      },
    },
    openStreamSource: {
      enumerable: true,
      configurable: true,
      value(): ByteSource {
        if (webStream) return webStream;
        sourceOpened = true;
        return source;
      },
    },
  }) as T & StreamSourceFields;
}

/**
 * `result` with `extra` fields, keeping a lazy `stream` lazy (a spread would read the getter and
 * build the web stream).
 */
export function extendResult<T extends object, E extends object>(result: T, extra: E): T & E {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(result)) as T;
  return Object.assign(copy, extra);
}

/**
 * `result` without its bytes (`stream`, `openStreamSource`), every other field as it is (a getter
 * stays a getter): the base for a result that serves other bytes.
 */
export function withoutStream<T extends object>(result: T): Omit<T, 'stream' | 'openStreamSource'> {
  const descriptors: PropertyDescriptorMap = Object.getOwnPropertyDescriptors(result);
  delete descriptors.stream;
  delete descriptors.openStreamSource;
  return Object.defineProperties({}, descriptors) as Omit<T, 'stream' | 'openStreamSource'>;
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
