import { applyResponseStreamTransformers } from '../transformers/run-transformers.js';
import type { TransformerContext, TransformerInstance } from '../transformers/transformer-types.js';
import { guardUpstreamBody } from './guard-upstream-body.js';

/** The byte source a stream translation reads, and how it treats a failed upstream read. */
export interface UpstreamEventSource {
  source: ReadableStream<Uint8Array>;
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
  body: ReadableStream<Uint8Array>,
  transformers: readonly TransformerInstance[],
  context: TransformerContext,
  onFailure: (error: unknown) => void,
): Promise<UpstreamEventSource> {
  if (!transformers.some(transformer => transformer.transformResponseStream)) {
    return { source: body, onReadError: onFailure };
  }
  const guarded = guardUpstreamBody(body, onFailure);
  return { source: await applyResponseStreamTransformers(guarded, transformers, context) };
}
