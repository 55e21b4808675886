import type { Logger, MessagesRequest, RoutingDecision } from '@conduit/core';
import type { ProviderCallResult, UpstreamFetch } from '../providers/provider-adapter.js';
import { InboundBody } from '../request/inbound-body.js';
import { providerKeysOf } from '../resilience/key-pool.js';
import { extendResult } from '../streaming/byte-source-stream.js';
import type { UpstreamTarget } from './gateway-snapshot.js';

/** Everything one upstream call needs. */
export interface UpstreamCallInput {
  /** The router's decision (its `fallbacks` list is for resilience wrappers). */
  decision: RoutingDecision;
  /** The target to call. */
  target: UpstreamTarget;
  request: MessagesRequest;
  /** The inbound body; undefined when the request was changed and must be re-serialized. */
  rawBody: string | InboundBody | undefined;
  inboundHeaders: Headers;
  /**
   * Local estimate of the input tokens; default `decision.tokenCount`, which the router computes
   * on first read (adapters read it only when they need it: an upstream that reports no usage, or
   * a translated stream's `message_start`), so most requests are never tokenized.
   */
  estimatedInputTokens?: number;
  /** Aborted when the client disconnects. */
  signal: AbortSignal;
  /** Resolves another `provider,model` (for fallback chains). */
  resolveTarget(route: string): UpstreamTarget;
  /**
   * Which of the provider's keys to send (index into `listProviderKeys`: `api_key`, then
   * `api_keys`), chosen by a key pool; default 0.
   */
  keyIndex?: number;
}

/** A successful call and the target that served it. */
export type UpstreamCallResult = ProviderCallResult & { target: UpstreamTarget };

/**
 * The upstream call seam. The server calls exactly one `UpstreamCall` per request, before anything
 * is sent to the client, so a wrapper (retries, fallbacks, key pools, circuit breakers) can call
 * the inner one as often as it likes and return whichever result should be served. Errors are
 * thrown (`ProviderAPIError` carries `isRetryable`, `retryAfterMs`, `failure`).
 */
export type UpstreamCall = (input: UpstreamCallInput) => Promise<UpstreamCallResult>;

/** Wraps the base call, e.g. `next => input => retry(() => next(input))`. */
export type UpstreamCallWrapper = (next: UpstreamCall) => UpstreamCall;

/** The base call: one attempt against `input.target` with the key at `input.keyIndex`. */
export function createUpstreamCall(options: {
  getFetch: () => UpstreamFetch;
  logger: Logger;
}): UpstreamCall {
  return async input => {
    const { target, rawBody, request } = input;
    // The text is made only for an adapter that reads it (the OpenAI ones never do).
    let rawBodyText = typeof rawBody === 'string' ? rawBody : undefined;
    const result = await target.adapter.call({
      provider: target.provider,
      model: target.model,
      request,
      get rawBody() {
        rawBodyText ??= rawBody instanceof InboundBody ? rawBody.text : JSON.stringify(request);
        return rawBodyText;
      },
      rawBodyBytes: rawBody instanceof InboundBody ? rawBody.bytes : undefined,
      inboundHeaders: input.inboundHeaders,
      apiKey: providerKeysOf(target.provider)[input.keyIndex ?? 0],
      get estimatedInputTokens() {
        return input.estimatedInputTokens ?? input.decision.tokenCount;
      },
      pipeline: target.pipeline,
      fetch: options.getFetch(),
      signal: input.signal,
      logger: options.logger,
    });
    // (Not a spread: a lazy `stream` must stay unbuilt, see `createStreamResult`.)
    return extendResult(result, { target });
  };
}
