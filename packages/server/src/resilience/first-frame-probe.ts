import { ProviderAPIError } from '@conduit/core';
import type { ByteSource, ByteSourceReader } from '../streaming/byte-source-stream.js';
import { raceAbort } from './abort-race.js';
import type { CircuitTarget } from './circuit-breaker.js';

/**
 * Upper bound of what is held back while looking for the first complete SSE frame: a well-behaved
 * upstream's first frame (`message_start`) is well under 4 KB, so 64 KB only stops a stream that
 * never frames from being buffered whole.
 */
export const maxProbeBytes = 64 * 1024;

/** What the probe read: chunks to replay in front of the rest of the stream. */
export interface ProbedStream {
  chunks: Uint8Array[];
  reader: ByteSourceReader;
  /** True when the stream already ended inside the probe. */
  done: boolean;
}

/** Error types of an Anthropic `error` event that say "try again" rather than "your request". */
const retryableStreamErrors = new Set([
  'api_error',
  'overloaded_error',
  'rate_limit_error',
  'timeout_error',
]);

/**
 * Reads a response stream up to its first complete SSE frame, before anything is sent to the
 * client, so failures before the first byte can still be retried:
 * - a stream that ends without any byte is a connection failure;
 * - a first frame that is an Anthropic `error` event of a transient type (`api_error` for a cut
 *   connection or a malformed chunk, `overloaded_error`, …) becomes that error, thrown;
 * - anything else is handed back for replay (at most {@link maxProbeBytes} plus one chunk).
 * Rejects with `signal.reason` when `signal` aborts (timeouts, client gone); the caller cancels.
 */
export async function probeFirstFrame(
  stream: ByteSource,
  options: {
    target: CircuitTarget;
    signal: AbortSignal;
    /**
     * Races a read against the aborts of `signal` when every abort of it goes through its owner
     * (an attempt's `AttemptAbort.race`): no listener added to and removed from the signal
     * per read, which costs more than the read of a short answer.
     */
    race?: <T>(promise: Promise<T>) => Promise<T>;
  },
): Promise<ProbedStream> {
  const reader = stream.getReader();
  const judge = new FirstFrameJudge(options.target);
  try {
    while (true) {
      const read = reader.read();
      const { done, value } = await (options.race
        ? options.race(read)
        : raceAbort(read, options.signal));
      if (done) {
        judge.end();
        return { chunks: judge.chunks, reader, done: true };
      }
      if (judge.push(value)) return { chunks: judge.chunks, reader, done: false };
    }
  } catch (error) {
    reader.cancel(error).catch(() => undefined);
    throw error;
  }
}

/**
 * {@link probeFirstFrame} of a body that has arrived whole (see `markArrived`), as its chunks:
 * throws what the probe would throw reading them (no byte at all, a transient first `error`
 * frame), else returns.
 */
export function judgeArrivedStream(chunks: readonly Uint8Array[], target: CircuitTarget): void {
  const judge = new FirstFrameJudge(target);
  for (const chunk of chunks) if (judge.push(chunk)) return;
  judge.end();
}

/** The probe's judgement of the reads so far (one object: the probe and the whole body share it). */
class FirstFrameJudge {
  readonly chunks: Uint8Array[] = [];
  private bytes = 0;
  private text = '';
  // One decoder per stream (a shared one would carry a split character from one stream into
  // another), made only when the first read does not hold the first frame.
  private decoder: TextDecoder | undefined;

  constructor(private readonly target: CircuitTarget) {}

  /** Takes a read's bytes: true once the first frame is judged fine; throws a failure. */
  push(value: Uint8Array): boolean {
    if (value.byteLength === 0) return false;
    if (this.bytes === 0 && value.byteLength <= maxProbeBytes) {
      // The usual case: the first read holds the first frame, judged on its bytes (no decode).
      const frameEnd = findFirstFrameEnd(value);
      if (frameEnd !== undefined) {
        const failure = classifyFirstFrameBytes(value, frameEnd, this.target);
        if (failure) throw failure;
        this.chunks.push(value);
        return true;
      }
    }
    this.chunks.push(value);
    this.bytes += value.byteLength;
    this.decoder ??= new TextDecoder();
    if (this.bytes <= maxProbeBytes) {
      this.text = decodeUntilFirstFrame(this.decoder, this.text, value);
    }
    if (hasCompleteFrame(this.text) || this.bytes >= maxProbeBytes) {
      const failure = classifyFirstFrame(this.text, this.target);
      if (failure) throw failure;
      return true;
    }
    return false;
  }

  /** The stream ended before its first frame was judged: throws unless what came is fine. */
  end(): void {
    if (this.bytes === 0) throw emptyStreamError(this.target);
    const failure = classifyFirstFrame(this.text, this.target);
    if (failure) throw failure;
  }
}

/** Bytes decoded first: a first frame (`message_start`) fits, the rest of a 64 KB read is skipped. */
const firstFrameBytes = 2048;

/**
 * `text` followed by `value` decoded, or by only its first bytes when they already complete the
 * first frame: the probe looks at nothing after it (a large first read is mostly later frames).
 */
function decodeUntilFirstFrame(decoder: TextDecoder, text: string, value: Uint8Array): string {
  if (value.byteLength > firstFrameBytes) {
    const head = text + decoder.decode(value.subarray(0, firstFrameBytes), { stream: true });
    if (hasCompleteFrame(head)) return head;
    return head + decoder.decode(value.subarray(firstFrameBytes), { stream: true });
  }
  return text + decoder.decode(value, { stream: true });
}

const LF = 10;
const CR = 13;

/**
 * Where the first complete frame of `bytes` ends (after its blank line), as `hasCompleteFrame`
 * would find it in their text, or undefined when there is none yet or the bytes start with a
 * non-ASCII character (the text path then decides, as it always did). Multi-byte UTF-8 characters
 * hold no CR or LF byte, so a blank line found in the bytes is one in the text.
 */
export function findFirstFrameEnd(bytes: Uint8Array): number | undefined {
  let start = 0;
  while (start < bytes.length && isASCIISpace(bytes[start]!)) start++;
  if (start === bytes.length || bytes[start]! >= 0x80) return undefined;
  for (let index = bytes.indexOf(LF, start); index !== -1; index = bytes.indexOf(LF, index + 1)) {
    if (bytes[index + 1] === LF) return index + 2;
    if (bytes[index + 1] === CR && bytes[index + 2] === LF) return index + 3;
  }
  return undefined;
}

/** The ASCII characters of the regular expression `\s`. */
function isASCIISpace(byte: number): boolean {
  return byte === 32 || (byte >= 9 && byte <= 13);
}

/** `rror` of `error`, and `\u` (an escape could spell `"error"` in the JSON without the word). */
const errorWordBytes = Buffer.from('rror', 'latin1');
const escapeBytes = Buffer.from('\\u', 'latin1');
const utf8 = new TextDecoder();

/**
 * {@link classifyFirstFrame} of the first frame `bytes[0..frameEnd)`: a frame that spells neither
 * `error` nor a JSON escape cannot be an `error` event (nearly every stream's `message_start`), so
 * it is not decoded or parsed.
 */
function classifyFirstFrameBytes(
  bytes: Uint8Array,
  frameEnd: number,
  target: CircuitTarget,
): ProviderAPIError | undefined {
  const frame = Buffer.from(bytes.buffer, bytes.byteOffset, frameEnd);
  if (frame.indexOf(errorWordBytes) === -1 && frame.indexOf(escapeBytes) === -1) return undefined;
  return classifyFirstFrame(utf8.decode(frame), target);
}

function hasCompleteFrame(text: string): boolean {
  const start = text.search(/\S/);
  if (start === -1) return false;
  return /\r?\n\r?\n/.test(text.slice(start));
}

/** The first frame's transient `error` event as a retryable error, or undefined. */
export function classifyFirstFrame(
  text: string,
  target: CircuitTarget,
): ProviderAPIError | undefined {
  const frame = text.trimStart().split(/\r?\n\r?\n/, 1)[0] ?? '';
  let event: string | undefined;
  const dataLines: string[] = [];
  for (const line of frame.split(/\r?\n/)) {
    if (line.startsWith('event:')) event = line.slice(6).trim();
    else if (line.startsWith('data:')) dataLines.push(line.slice(5).trimStart());
  }
  let payload: { type?: unknown; error?: { type?: unknown; message?: unknown } } | undefined;
  try {
    payload = JSON.parse(dataLines.join('\n'));
  } catch {
    payload = undefined;
  }
  if (event !== 'error' && payload?.type !== 'error') return undefined;
  const type = typeof payload?.error?.type === 'string' ? payload.error.type : 'api_error';
  if (!retryableStreamErrors.has(type)) return undefined;
  const message =
    typeof payload?.error?.message === 'string' ? payload.error.message : 'stream error';
  return new ProviderAPIError({
    message: `Provider "${target.provider}" (model ${target.model}) failed before the first byte: ${message}`,
    provider: target.provider,
    model: target.model,
    statusCode: type === 'overloaded_error' ? 529 : type === 'rate_limit_error' ? 429 : undefined,
    failure: type === 'timeout_error' ? 'timeout' : type === 'api_error' ? 'connection' : 'http',
    isRetryable: true,
  });
}

function emptyStreamError(target: CircuitTarget): ProviderAPIError {
  return new ProviderAPIError({
    message: `Provider "${target.provider}" (model ${target.model}) closed the response stream before sending anything.`,
    provider: target.provider,
    model: target.model,
    failure: 'connection',
    isRetryable: true,
  });
}
