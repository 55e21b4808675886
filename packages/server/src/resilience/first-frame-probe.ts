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
  options: { target: CircuitTarget; signal: AbortSignal },
): Promise<ProbedStream> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let text = '';
  // One decoder per stream: a shared one would carry a split character from one stream into another.
  const decoder = new TextDecoder();
  try {
    while (true) {
      const { done, value } = await raceAbort(reader.read(), options.signal);
      if (done) {
        if (bytes === 0) throw emptyStreamError(options.target);
        const failure = classifyFirstFrame(text, options.target);
        if (failure) throw failure;
        return { chunks, reader, done: true };
      }
      if (value.byteLength === 0) continue;
      chunks.push(value);
      bytes += value.byteLength;
      if (bytes <= maxProbeBytes) text = decodeUntilFirstFrame(decoder, text, value);
      if (hasCompleteFrame(text) || bytes >= maxProbeBytes) {
        const failure = classifyFirstFrame(text, options.target);
        if (failure) throw failure;
        return { chunks, reader, done: false };
      }
    }
  } catch (error) {
    reader.cancel(error).catch(() => undefined);
    throw error;
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
