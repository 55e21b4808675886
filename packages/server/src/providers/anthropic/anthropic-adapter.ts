import { ProviderAPIError } from '@conduit/core';
import type { EventSourceMessage } from 'eventsource-parser';
import { pickResponseHeaders } from '../openai/openai-adapter.js';
import type {
  ProviderAdapter,
  ProviderCallInput,
  ProviderCallResult,
  UpstreamResponse,
} from '../provider-adapter.js';
import { encodeSSEError } from '../../sse/encode-sse-event.js';
import { createSSETranslateSource } from '../../sse/create-sse-translate-stream.js';
import { type ByteSource, createStreamResult } from '../../streaming/byte-source-stream.js';
import { upstreamStreamFailureMessage } from '../common/guard-upstream-body.js';
import {
  type UpstreamEventSource,
  hasUpstreamBody,
  openUpstreamEventSource,
} from '../common/open-upstream-source.js';
import { markArrived } from '../../upstream/arrived-byte-source.js';
import { createUpstreamHTTPError, createUpstreamNetworkError } from '../common/upstream-error.js';
import {
  applyRequestTransformers,
  applyResponseBodyTransformers,
  createStreamDataPipeline,
} from '../transformers/run-transformers.js';
import type { TransformerContext, TransformerInstance } from '../transformers/transformer-types.js';
import { AnthropicUsageReader, tapAnthropicEventSource } from './anthropic-usage-reader.js';
import { replaceJsonModel, replaceJsonModelBytes } from './replace-json-model.js';

const defaultAnthropicVersion = '2023-06-01';

/**
 * Anthropic Messages passthrough (`transformer.use: ["Anthropic"]`, or an `api_base_url` ending in
 * `/v1/messages`). The body is forwarded byte for byte with only `model` replaced; the stream comes
 * back unchanged while its usage is read on the side. Client credentials are never forwarded: the
 * provider's own key goes in `x-api-key` (or `Authorization: Bearer` with `UseBearer`).
 */
export function createAnthropicAdapter(): ProviderAdapter {
  return { specificationVersion: 'v1', id: 'anthropic', call: callAnthropic };
}

/** `https://host` or `https://host/v1` → `https://host/v1/messages`; full endpoints are kept. */
export function resolveAnthropicMessagesURL(apiBaseUrl: string): string {
  const [path = '', query] = apiBaseUrl.split('?');
  const trimmed = path.replace(/\/+$/, '');
  let resolved = trimmed;
  if (!trimmed.endsWith('/messages')) {
    resolved = trimmed.endsWith('/v1') ? `${trimmed}/messages` : `${trimmed}/v1/messages`;
  }
  return query === undefined ? resolved : `${resolved}?${query}`;
}

/** {@link resolveAnthropicMessagesURL} of each configured base URL, worked out once. */
const messagesURLs = new Map<string, string>();

function messagesURLOf(apiBaseUrl: string): string {
  let url = messagesURLs.get(apiBaseUrl);
  if (url === undefined) {
    url = resolveAnthropicMessagesURL(apiBaseUrl);
    // Bounded by the configured providers; a runaway count (a plugin making URLs) starts over.
    if (messagesURLs.size >= 1024) messagesURLs.clear();
    messagesURLs.set(apiBaseUrl, url);
  }
  return url;
}

/** The headers sent upstream: Anthropic protocol headers from the client, credentials of our own. */
export function buildAnthropicHeaders(options: {
  inboundHeaders: Headers;
  apiKey: string | undefined;
  useBearer: boolean;
  extraHeaders: Record<string, string> | undefined;
}): Headers {
  const headers = new Headers({
    'content-type': 'application/json',
    accept: 'application/json',
    'anthropic-version': options.inboundHeaders.get('anthropic-version') ?? defaultAnthropicVersion,
  });
  const beta = options.inboundHeaders.get('anthropic-beta');
  if (beta) headers.set('anthropic-beta', beta);
  for (const [name, value] of Object.entries(options.extraHeaders ?? {})) headers.set(name, value);
  if (options.apiKey) {
    if (options.useBearer) headers.set('authorization', `Bearer ${options.apiKey}`);
    else headers.set('x-api-key', options.apiKey);
  }
  return headers;
}

async function buildBody(
  input: ProviderCallInput,
  context: TransformerContext,
): Promise<string | Uint8Array<ArrayBuffer>> {
  const hooks = input.pipeline.requestTransformers.filter(item => item.transformRequestBody);
  if (hooks.length === 0) {
    const replaced = input.rawBodyBytes
      ? replaceJsonModelBytes(input.rawBodyBytes, input.model)
      : replaceJsonModel(input.rawBody, input.model);
    if (replaced !== undefined) return replaced;
  }
  const body = await applyRequestTransformers(
    { ...input.request, model: input.model },
    hooks,
    context,
  );
  return JSON.stringify(body);
}

async function callAnthropic(input: ProviderCallInput): Promise<ProviderCallResult> {
  const { provider, model, request, pipeline, signal } = input;
  const upstream = {
    url: messagesURLOf(provider.api_base_url),
    headers: buildAnthropicHeaders({
      inboundHeaders: input.inboundHeaders,
      apiKey: input.apiKey,
      useBearer: pipeline.settings.useBearer === true,
      extraHeaders: provider.headers,
    }),
  };
  const context: TransformerContext = { provider, model, request, apiKey: input.apiKey, upstream };
  const body = await buildBody(input, context);
  const { url, headers } = upstream;
  let response: UpstreamResponse;
  try {
    // Never re-send the provider key to another URL (see upstreamRedirectError).
    response = await input.fetch(url, {
      method: 'POST',
      headers,
      body,
      signal,
      redirect: 'manual',
    });
  } catch (error) {
    throw createUpstreamNetworkError({ error, provider: provider.name, model, url, signal });
  }
  if (!response.ok) {
    throw await createUpstreamHTTPError({
      response,
      provider: provider.name,
      model,
      url,
      apiKey: input.apiKey,
    });
  }
  const responseHeaders = pickResponseHeaders(response.headers);
  const reader = new AnthropicUsageReader(() => input.estimatedInputTokens);
  const isEventStream = (response.headers.get('content-type') ?? '').includes('text/event-stream');
  const streamHooks = pipeline.responseTransformers.filter(
    item => item.transformStreamData || item.createStreamTransform,
  );

  if (isEventStream && hasUpstreamBody(response)) {
    let failed = false;
    const eventSource = await openUpstreamEventSource(
      response,
      pipeline.responseTransformers,
      context,
      () => {
        failed = true;
      },
      // A short answer that has fully arrived is read whole by the stages after this one (see
      // `markArrived`); stream hooks may do anything, so their output is read as a stream.
      { takeArrived: streamHooks.length === 0 },
    );
    // A cut connection gets an `error` event after the last complete frame, as Anthropic does.
    const trailer = () =>
      failed ? `\n\n${encodeSSEError('api_error', upstreamStreamFailureMessage)}` : '';
    // Without stream hooks the tap is read directly; a web stream is built only if a later stage
    // asks for one (see `createStreamResult`).
    const source =
      streamHooks.length === 0
        ? tapAnthropicEventSource(eventSource.source, reader, {
            onReadError: eventSource.onReadError,
            trailer,
          })
        : tapAnthropicEventSource(transformEventStream(eventSource, streamHooks, context), reader, {
            trailer,
          });
    // The tap of a body that has arrived whole never waits for the upstream either.
    if (eventSource.arrived) markArrived(source);
    return createStreamResult(
      {
        getOutcome: () =>
          failed ? { ...reader.getOutcome(), errorType: 'stream_error' } : reader.getOutcome(),
        responseHeaders,
      },
      source,
    );
  }

  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw createUpstreamNetworkError({ error, provider: provider.name, model, url, signal });
  }
  let message: Record<string, unknown>;
  try {
    message = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new ProviderAPIError({
      message: `Provider "${provider.name}" (model ${model}) returned a body that is not JSON.`,
      provider: provider.name,
      model,
      statusCode: response.status,
      isRetryable: true,
    });
  }
  const bodyHooks = pipeline.responseTransformers.filter(item => item.transformResponseBody);
  message = await applyResponseBodyTransformers(message, bodyHooks, context);
  reader.readMessage(message);
  return {
    kind: 'json',
    body: bodyHooks.length === 0 ? text : JSON.stringify(message),
    outcome: reader.getOutcome(),
    responseHeaders,
  };
}

/** Only used when a transformer hooks Anthropic stream events: decode, transform, re-encode. */
function transformEventStream(
  upstream: UpstreamEventSource,
  transformers: readonly TransformerInstance[],
  context: TransformerContext,
): ByteSource {
  const hooks = createStreamDataPipeline(transformers, context);
  const encode = (data: Record<string, unknown>, event: string | undefined) =>
    `event: ${event ?? String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`;
  return createSSETranslateSource(
    upstream.source,
    {
      onEvent(message: EventSourceMessage): string {
        let data: Record<string, unknown>;
        try {
          data = JSON.parse(message.data) as Record<string, unknown>;
        } catch {
          return `event: ${message.event ?? 'message'}\ndata: ${message.data}\n\n`;
        }
        let text = '';
        for (const item of hooks.push(data)) {
          text += encode(item, item === data ? message.event : undefined);
        }
        return text;
      },
      onEnd(): string {
        let text = '';
        for (const item of hooks.end()) text += encode(item, undefined);
        return text;
      },
    },
    { onReadError: upstream.onReadError },
  );
}
