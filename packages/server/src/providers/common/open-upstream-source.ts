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
): Promise<UpstreamEventSource> {
  if (!transformers.some(transformer => transformer.transformResponseStream)) {
    return { source: response.openBodySource?.() ?? readBody(response), onReadError: onFailure };
  }
  const guarded = guardUpstreamBody(readBody(response), onFailure);
  return { source: await applyResponseStreamTransformers(guarded, transformers, context) };
}

/** Whether the upstream answer has a body to stream (a pooled-client answer always has one). */
export function hasUpstreamBody(response: UpstreamResponse): boolean {
  return response.openBodySource !== undefined || response.body !== null;
}

function readBody(response: UpstreamResponse): ReadableStream<Uint8Array> {
  if (!response.body) throw new Error('The upstream answer has no body.');
  return response.body;
}
