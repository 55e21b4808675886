import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';

/** zlib is required by the first compressed answer: upstreams rarely compress (see below). */
const requireFromHere = createRequire(import.meta.url);
let zlib: typeof import('node:zlib') | undefined;

/**
 * The part of a WHATWG `Response` the provider adapters read. An injected `fetch` returns a real
 * `Response`; the pooled client returns a {@link PooledUpstreamResponse}, which skips the
 * `Response`/`Headers` objects and builds a web stream only when the body is streamed.
 */
export interface UpstreamResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  /** The body as a web stream (created on first access). */
  readonly body: ReadableStream<Uint8Array> | null;
  text(): Promise<string>;
  /**
   * The body read directly, without a web stream: one stream stage fewer for a translation that
   * only reads it (on Node 20 each web stream costs ~15 µs to build). Read either this or `body`.
   */
  openBodySource?(): ByteSource;
  /**
   * The whole body, when all of it has already arrived (a short answer usually comes in the same
   * packets as its headers) and nothing decodes it: taken in one piece, with no reader, listener
   * or promise per chunk. Otherwise `undefined`, and the body is read as usual. Read either this
   * (when it returns bytes) or the body.
   */
  takeArrivedBody?(): Uint8Array | undefined;
}

/** What a stream translation reads: a web stream, or anything with the same `read` and `cancel`. */
export interface ByteSource {
  getReader(): ByteSourceReader;
}

/** The part of a `ReadableStreamDefaultReader` a stream translation uses. */
export interface ByteSourceReader {
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  cancel(reason?: unknown): Promise<void>;
}

type RawHeaders = Record<string, string | string[] | undefined>;

/**
 * A body as Node or undici deliver it; undici's has a `text()` that reads it without an iterator,
 * Node's (`IncomingMessage`) a `complete` flag, set once the whole message was parsed.
 */
type RawBody = Readable & { text?(): Promise<string>; complete?: boolean };

/** Response headers as Node or undici deliver them (lower-case names), read with `get` like `Headers`. */
class RawResponseHeaders {
  constructor(private readonly raw: RawHeaders) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    // `Headers.get` joins repeated fields with ", " (set-cookie aside, which nobody reads here).
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

/** A Node `http` or `undici.request` answer seen through {@link UpstreamResponse}. */
export class PooledUpstreamResponse implements UpstreamResponse {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: RawResponseHeaders;
  private readonly source: Readable;
  /** The body itself, when nothing decodes it. */
  private readonly plainBody: RawBody | undefined;
  private webBody: ReadableStream<Uint8Array> | undefined;
  private sourceOpened = false;

  constructor(status: number, headers: RawHeaders, body: RawBody) {
    this.status = status;
    this.ok = status >= 200 && status < 300;
    this.headers = new RawResponseHeaders(headers);
    this.source = decodeContentEncoding(body, this.headers.get('content-encoding'));
    this.plainBody = this.source === body ? body : undefined;
  }

  get body(): ReadableStream<Uint8Array> {
    if (this.sourceOpened) throw new Error('The upstream body is already read as a byte source.');
    this.webBody ??= readableToWebStream(this.source);
    return this.webBody;
  }

  openBodySource(): ByteSource {
    if (this.webBody) return this.webBody;
    this.sourceOpened = true;
    return readableByteSource(this.source);
  }

  takeArrivedBody(): Buffer | undefined {
    const body = this.plainBody;
    if (body?.complete !== true || this.webBody || this.sourceOpened) return undefined;
    // Paused and never read: `read()` returns everything buffered in one piece, and, the message
    // being complete, lets the stream end (which returns the connection to the pool).
    if (body.readableFlowing !== null || body.destroyed) return undefined;
    this.sourceOpened = true;
    return (body.read() as Buffer | null) ?? Buffer.alloc(0);
  }

  async text(): Promise<string> {
    if (this.webBody) return new Response(this.webBody).text();
    // undici decodes as `Response.text()` does: UTF-8, a leading byte order mark dropped.
    if (this.plainBody?.text) return this.plainBody.text();
    const text = (await readAll(this.source)).toString('utf8');
    // As `Response.text()`: UTF-8 without a byte order mark.
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}

/** A Node stream's bytes, read with `data` events (no async iterator and its promise per chunk). */
function readAll(source: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    source.on('data', (chunk: Buffer) => chunks.push(chunk));
    source.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    source.once('error', reject);
    source.once('close', () => {
      if (!source.readableEnded) reject(new Error('The upstream body ended early.'));
    });
  });
}

/**
 * A pull-driven web stream over a Node stream: one `read` per chunk the consumer asks for, no
 * buffering ahead (the Node stream's own buffer applies backpressure to the socket). The chunks
 * are passed on as they are (no copy). Cancelling destroys the Node stream, which frees the pooled
 * connection.
 */
function readableToWebStream(source: Readable): ReadableStream<Uint8Array> {
  const chunks = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = (await chunks.next()) as IteratorResult<Uint8Array>;
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel(reason) {
        source.destroy(reason instanceof Error ? reason : undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * A Node stream read as a web stream's reader would read it, without building one: one `read` per
 * chunk (no buffering ahead, no copy). As with a web stream, cancelling destroys the Node stream
 * (freeing the pooled connection) and ends a read still pending instead of failing it.
 */
function readableByteSource(source: Readable): ByteSource {
  return {
    getReader(): ByteSourceReader {
      return new ReadableSourceReader(source);
    },
  };
}

/**
 * The reader of {@link readableByteSource}: `read()` on the Node stream, waiting for `readable`
 * when it has nothing, as the stream's async iterator does, but without its async generator and
 * end-of-stream watcher (several promises and listeners per body, a noticeable share of a short
 * streamed answer). A stream that closes before its end fails the read, as the iterator's does.
 */
class ReadableSourceReader implements ByteSourceReader {
  private cancelled = false;
  private ended: boolean;
  private failure: unknown;
  private wake: (() => void) | undefined;

  constructor(private readonly source: Readable) {
    this.ended = source.readableEnded;
    this.failure = source.errored ?? undefined;
    const notify = () => this.notify();
    source.on('readable', notify);
    source.once('end', () => {
      this.ended = true;
      this.notify();
    });
    source.once('error', (error: unknown) => {
      this.failure ??= error;
      this.notify();
    });
    source.once('close', () => {
      if (!this.ended && this.failure === undefined) this.failure = createPrematureCloseError();
      this.notify();
    });
  }

  async read(): Promise<ReadableStreamReadResult<Uint8Array>> {
    for (;;) {
      if (this.cancelled) return endedRead;
      if (this.failure !== undefined) throw this.failure;
      const chunk = this.source.destroyed ? null : (this.source.read() as Uint8Array | null);
      if (chunk !== null) return { done: false, value: chunk };
      if (this.ended) return endedRead;
      await new Promise<void>(resolve => {
        this.wake = resolve;
      });
    }
  }

  async cancel(reason?: unknown): Promise<void> {
    this.cancelled = true;
    this.source.destroy(reason instanceof Error ? reason : undefined);
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

const endedRead: ReadableStreamReadResult<Uint8Array> = { done: true, value: undefined };

/** What a Node stream's async iterator fails with when the stream closes before its end. */
function createPrematureCloseError(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/**
 * `fetch` decompresses; `undici.request` does not. The client sends no `accept-encoding`, so
 * upstreams answer uncompressed, but a provider `headers` entry may ask for compression.
 */
function decodeContentEncoding(body: Readable, encoding: string | null): Readable {
  const coding = encoding?.trim().toLowerCase();
  if (!coding || coding === 'identity') return body;
  zlib ??= requireFromHere('node:zlib') as typeof import('node:zlib');
  const decoder =
    coding === 'gzip' || coding === 'x-gzip'
      ? zlib.createGunzip()
      : coding === 'deflate'
        ? zlib.createInflate()
        : coding === 'br'
          ? zlib.createBrotliDecompress()
          : undefined;
  if (!decoder) return body;
  body.on('error', error => decoder.destroy(error));
  decoder.on('close', () => {
    if (!body.destroyed) body.destroy();
  });
  return body.pipe(decoder);
}
