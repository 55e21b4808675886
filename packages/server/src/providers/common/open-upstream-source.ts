import { endedRead } from '../../streaming/byte-source-stream.js';
import { markArrived } from '../../upstream/arrived-byte-source.js';
import type { ByteSource, UpstreamResponse } from '../../upstream/upstream-response.js';
import { applyResponseStreamTransformers } from '../transformers/run-transformers.js';
import type { TransformerContext, TransformerInstance } from '../transformers/transformer-types.js';
import { guardUpstreamBody } from './guard-upstream-body.js';

/** The byte source a stream translation reads, and how it treats a failed upstream read. */
export interface UpstreamEventSource {
  source: ByteSource;
  /**
   * Set when the translation reads the upstream body itself: it must call this for a failed read
   * and end normally (what `guardUpstreamBody` does otherwise).
   */
  onReadError?: (error: unknown) => void;
  /**
   * The whole body, when the caller asked for it (`takeArrived`) and it had already arrived:
   * `source` serves it as one chunk, and a translation may translate it in one pass instead.
   */
  arrived?: Uint8Array;
}

/**
 * The upstream body as the translation should read it. With raw-bytes stream transformers
 * (`transformResponseStream`), the body is guarded first and the transformers run over it, as
 * before; without them (the usual case), the translation reads the body directly and handles a
 * failed read itself, which saves a stream stage per upstream chunk.
 */
export async function openUpstreamEventSource(
  response: UpstreamResponse,
  transformers: readonly TransformerInstance[],
  context: TransformerContext,
  onFailure: (error: unknown) => void,
  options: { takeArrived?: boolean } = {},
): Promise<UpstreamEventSource> {
  if (!transformers.some(transformer => transformer.transformResponseStream)) {
    const arrived = options.takeArrived ? response.takeArrivedBody?.() : undefined;
    if (arrived) return { source: arrivedByteSource(arrived), onReadError: onFailure, arrived };
    return { source: response.openBodySource?.() ?? readBody(response), onReadError: onFailure };
  }
  const guarded = guardUpstreamBody(readBody(response), onFailure);
  return { source: await applyResponseStreamTransformers(guarded, transformers, context) };
}

/** Whether the upstream answer has a body to stream (a pooled-client answer always has one). */
export function hasUpstreamBody(response: UpstreamResponse): boolean {
  return response.openBodySource !== undefined || response.body !== null;
}

/**
 * A body that has already arrived, as a byte source: one chunk (none when empty), then the end.
 * Marked arrived (see `markArrived`): what reads it never waits for the upstream either.
 */
function arrivedByteSource(bytes: Uint8Array): ByteSource {
  return markArrived({
    getReader() {
      let left = bytes.byteLength > 0;
      return {
        async read() {
          if (!left) return endedRead;
          left = false;
          return { done: false, value: bytes };
        },
        async cancel() {
          left = false;
        },
      };
    },
  });
}

function readBody(response: UpstreamResponse): ReadableStream<Uint8Array> {
  if (!response.body) throw new Error('The upstream answer has no body.');
  return response.body;
}
