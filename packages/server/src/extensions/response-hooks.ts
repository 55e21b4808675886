import type { Logger, RoutingDecision } from '@conduit/core';
import type { CallOutcome } from '../providers/provider-adapter.js';

/** What response hooks learn about a successful `/v1/messages` response. */
export interface ResponseHookInput {
  requestId: string;
  /** The router's decision (its metadata includes what plugins added, e.g. Synapse's projectId). */
  decision: RoutingDecision;
  /** Routing metadata merged with the decision's (requestId, agentId, sessionId, plugin tags). */
  metadata: Readonly<Record<string, unknown>>;
  /** The target that served (differs from the decision after a fallback). */
  servedBy: { provider: string; model: string };
  streamed: boolean;
  /**
   * Usage and stop reason. Final for JSON responses; for streams, final once the upstream stream
   * has ended (e.g. inside a `transformStream`'s `flush`).
   */
  getOutcome(): CallOutcome;
}

/**
 * Per-request response hooks (the seam `@conduit/synapse` uses for response metadata). Both run
 * after the upstream answered and before the first byte goes to the client. A hook that throws is
 * logged and skipped: it never fails the request.
 *
 * @example
 * ```ts
 * createConduitServer(config, {
 *   responseHooks: {
 *     headers: ({ metadata }) => ({ 'x-synapse-project-id': String(metadata.projectId ?? '') }),
 *     transformStream: input => new TransformStream({
 *       flush(controller) {
 *         const cost = estimateCost(input.getOutcome().usage);
 *         controller.enqueue(new TextEncoder().encode(`: synapse ${JSON.stringify({ cost })}\n\n`));
 *       },
 *     }),
 *   },
 * });
 * ```
 */
export interface ResponseHooks {
  /** Extra response headers (JSON and SSE). Routing headers Conduit sets cannot be overridden. */
  headers?(input: ResponseHookInput): Record<string, string> | undefined;
  /**
   * A transform over the Anthropic SSE bytes sent to the client (streams only), e.g. to add SSE
   * comments or extra events. It sees whole upstream chunks, not necessarily whole frames.
   */
  transformStream?(input: ResponseHookInput): TransformStream<Uint8Array, Uint8Array> | undefined;
}

function warn(logger: Logger, hook: string, error: unknown): void {
  logger.warn(`response hook ${hook} failed; response sent without it`, {
    message: error instanceof Error ? error.message : String(error),
  });
}

/** Runs `headers`, isolated. */
export function runHeadersHook(
  hooks: ResponseHooks | undefined,
  input: ResponseHookInput,
  logger: Logger,
): Record<string, string> {
  if (!hooks?.headers) return {};
  try {
    const headers = hooks.headers(input);
    if (!headers) return {};
    // Header values must be strings; anything else would make `new Headers` throw.
    return Object.fromEntries(
      Object.entries(headers).filter(([, value]) => typeof value === 'string'),
    );
  } catch (error) {
    warn(logger, 'headers', error);
    return {};
  }
}

/** Pipes `stream` through `transformStream`, isolated (a failing factory leaves it unchanged). */
export function runStreamHook(
  hooks: ResponseHooks | undefined,
  input: ResponseHookInput,
  stream: ReadableStream<Uint8Array>,
  logger: Logger,
): ReadableStream<Uint8Array> {
  if (!hooks?.transformStream) return stream;
  try {
    const transform = hooks.transformStream(input);
    return transform ? stream.pipeThrough(transform) : stream;
  } catch (error) {
    warn(logger, 'transformStream', error);
    return stream;
  }
}
