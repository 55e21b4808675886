import type {
  CallOutcome,
  ProviderCallInput,
  ProviderCallResult,
  UpstreamResponse,
} from '../provider-adapter.js';
import {
  applyRequestTransformers,
  applyResponseBodyTransformers,
} from '../transformers/run-transformers.js';
import type {
  TransformerContext,
  UpstreamRequestTarget,
} from '../transformers/transformer-types.js';
import { type ByteSource, createStreamResult } from '../../streaming/byte-source-stream.js';
import type { ConvertedMessage } from './build-anthropic-message.js';
import { upstreamStreamFailureMessage } from './guard-upstream-body.js';
import { markArrived } from '../../upstream/arrived-byte-source.js';
import { type UpstreamEventSource, openUpstreamEventSource } from './open-upstream-source.js';
import { readUpstreamJSON, sendUpstreamRequest } from './send-upstream-request.js';

/**
 * The I/O glue the translating adapters (OpenAI chat, OpenAI Responses, Gemini) share: request
 * transformers, the POST and its error mapping, the stream or JSON answer turned into a
 * `ProviderCallResult`. What the wire format looks like stays in each adapter.
 */

/** A sent upstream request and what the rest of the call needs from it. */
export interface UpstreamExchange {
  context: TransformerContext;
  /** Where the request went (request transformers may change the URL and headers). */
  upstream: UpstreamRequestTarget;
  /** The request body as sent, after request transformers. */
  body: Record<string, unknown>;
  /** The successful (2xx) response. */
  response: UpstreamResponse;
  /** Upstream headers worth returning to the client. */
  responseHeaders: Record<string, string>;
}

/** Sets `authorization: Bearer <key>` (OpenAI-compatible upstreams). */
export function authorizeWithBearer(headers: Headers, apiKey: string): void {
  headers.set('authorization', `Bearer ${apiKey}`);
}

/**
 * Runs the request transformers over the translated `body` and POSTs it to `url` with the
 * provider's headers and the API key (set by `authorize`). HTTP and network failures throw
 * `ProviderAPIError` (see `sendUpstreamRequest`).
 */
export async function sendTranslatedRequest(
  input: ProviderCallInput,
  options: {
    body: Record<string, unknown>;
    url: string;
    /** Whether the translated request asks for a stream (sets `accept`). */
    streaming: boolean;
    authorize: (headers: Headers, apiKey: string) => void;
    retryAfterFromBody?: (bodyText: string) => number | undefined;
  },
): Promise<UpstreamExchange> {
  const { provider, model, request, pipeline } = input;
  const headers = new Headers({
    'content-type': 'application/json',
    accept: options.streaming ? 'text/event-stream' : 'application/json',
  });
  for (const [name, value] of Object.entries(provider.headers ?? {})) headers.set(name, value);
  if (input.apiKey) options.authorize(headers, input.apiKey);
  const upstream = { url: options.url, headers };
  const context: TransformerContext = { provider, model, request, apiKey: input.apiKey, upstream };
  const body = await applyRequestTransformers(options.body, pipeline.requestTransformers, context);
  const response = await sendUpstreamRequest(input, upstream, body, {
    retryAfterFromBody: options.retryAfterFromBody,
  });
  return {
    context,
    upstream,
    body,
    response,
    responseHeaders: pickResponseHeaders(response.headers),
  };
}

/**
 * A streamed answer: `createState` makes the provider's stream state machine and `translate`
 * turns the upstream event source into Anthropic SSE bytes driving it. A failed upstream read is
 * logged (without secrets) and reported to `translate` through `getUpstreamFailure`, so the
 * stream can end with an `error` event.
 */
export async function streamTranslatedResponse<TState extends { getOutcome(): CallOutcome }>(
  input: ProviderCallInput,
  exchange: UpstreamExchange,
  options: {
    createState: (options: { model: string; estimatedInputTokens: number }) => TState;
    translate: (
      upstream: UpstreamEventSource,
      state: TState,
      getUpstreamFailure: () => string | undefined,
    ) => ByteSource;
  },
): Promise<ProviderCallResult> {
  const state = options.createState({
    model: input.model,
    estimatedInputTokens: input.estimatedInputTokens,
  });
  let upstreamFailure: string | undefined;
  const eventSource = await openUpstreamEventSource(
    exchange.response,
    input.pipeline.responseTransformers,
    exchange.context,
    error => {
      upstreamFailure = upstreamStreamFailureMessage;
      input.logger.debug('upstream stream failed', {
        provider: input.provider.name,
        message: error instanceof Error ? error.message : String(error),
      });
    },
    // A short answer that has fully arrived is translated in one pass (see `translateArrivedSSE`).
    { takeArrived: true },
  );
  const translated = options.translate(eventSource, state, () => upstreamFailure);
  // The web stream is built only if a later stage asks for one (see `createStreamResult`). A
  // translation of a body that has arrived whole never waits for the upstream either.
  return createStreamResult(
    {
      getOutcome: () => state.getOutcome(),
      responseHeaders: exchange.responseHeaders,
    },
    eventSource.arrived ? markArrived(translated) : translated,
  );
}

/** The JSON answer, after response body transformers (a non-JSON body throws). */
export async function readTranslatedJSON(
  input: ProviderCallInput,
  exchange: UpstreamExchange,
): Promise<Record<string, unknown>> {
  return applyResponseBodyTransformers(
    await readUpstreamJSON(input, exchange.response, exchange.upstream.url),
    input.pipeline.responseTransformers,
    exchange.context,
  );
}

/** A converted non-streaming answer as the call result. */
export function jsonCallResult(
  converted: ConvertedMessage,
  exchange: UpstreamExchange,
): ProviderCallResult {
  const { message, usage, usageEstimated } = converted;
  return {
    kind: 'json',
    body: JSON.stringify(message),
    outcome: { usage, usageEstimated, stopReason: message.stop_reason },
    responseHeaders: exchange.responseHeaders,
  };
}

/** Upstream headers that are useful to the client and safe to return. */
export function pickResponseHeaders(headers: UpstreamResponse['headers']): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of ['request-id', 'x-request-id']) {
    const value = headers.get(name);
    if (value) picked[`x-upstream-${name.replace(/^x-/, '')}`] = value;
  }
  return picked;
}
