import { pickResponseHeaders } from '../openai/openai-adapter.js';
import type {
  ProviderAdapter,
  ProviderCallInput,
  ProviderCallResult,
} from '../provider-adapter.js';
import { upstreamStreamFailureMessage } from '../shared/guard-upstream-body.js';
import { openUpstreamEventSource } from '../shared/open-upstream-source.js';
import { translateJSONEventStream } from '../shared/translate-json-event-stream.js';
import {
  invalidUpstreamResponseError,
  readUpstreamJSON,
  sendUpstreamRequest,
} from '../shared/send-upstream-request.js';
import {
  applyRequestTransformers,
  applyResponseBodyTransformers,
  createStreamDataPipeline,
} from '../transformers/run-transformers.js';
import type { TransformerContext } from '../transformers/transformer-types.js';
import { convertGeminiResponse } from './convert-gemini-response.js';
import { convertToGeminiRequest } from './convert-to-gemini-request.js';
import { geminiResponseSchema } from './gemini-api.js';
import { readGeminiRetryDelay } from './gemini-error.js';
import { GeminiStreamState } from './gemini-stream-state.js';

/**
 * `{base}{model}:generateContent` or `{base}{model}:streamGenerateContent?alt=sse`, where the base
 * is CCR's `api_base_url` (`https://generativelanguage.googleapis.com/v1beta/models/`). A query
 * on the base is kept.
 */
export function resolveGeminiURL(apiBaseUrl: string, model: string, stream: boolean): string {
  const [path = '', query] = apiBaseUrl.split('?');
  const base = path.endsWith('/') ? path : `${path}/`;
  const action = stream ? 'streamGenerateContent' : 'generateContent';
  const parameters = [stream ? 'alt=sse' : undefined, query].filter(Boolean).join('&');
  return `${base}${encodeURIComponent(model)}:${action}${parameters ? `?${parameters}` : ''}`;
}

/**
 * Gemini native (`transformer.use: ["gemini"]`): the Gemini API with `x-goog-api-key`.
 * I/O only: translation lives in the `convert-*` modules.
 */
export function createGeminiAdapter(): ProviderAdapter {
  return { specificationVersion: 'v1', id: 'gemini', call: callGemini };
}

async function callGemini(input: ProviderCallInput): Promise<ProviderCallResult> {
  const { provider, model, request, pipeline } = input;
  const converted = convertToGeminiRequest(request, model);
  for (const warning of converted.warnings) {
    input.logger.debug('gemini translation dropped content', { provider: provider.name, warning });
  }
  const streaming = request.stream === true;
  const headers = new Headers({
    'content-type': 'application/json',
    accept: streaming ? 'text/event-stream' : 'application/json',
  });
  for (const [name, value] of Object.entries(provider.headers ?? {})) headers.set(name, value);
  if (input.apiKey) headers.set('x-goog-api-key', input.apiKey);
  const upstream = { url: resolveGeminiURL(provider.api_base_url, model, streaming), headers };
  const context: TransformerContext = { provider, model, request, apiKey: input.apiKey, upstream };
  const body = await applyRequestTransformers(
    converted.body as Record<string, unknown>,
    pipeline.requestTransformers,
    context,
  );
  const response = await sendUpstreamRequest(input, upstream, body, {
    retryAfterFromBody: readGeminiRetryDelay,
  });
  const responseHeaders = pickResponseHeaders(response.headers);

  if (streaming && response.body) {
    const state = new GeminiStreamState({
      model,
      estimatedInputTokens: input.estimatedInputTokens,
    });
    let upstreamFailure: string | undefined;
    const eventSource = await openUpstreamEventSource(
      response.body,
      pipeline.responseTransformers,
      context,
      error => {
        upstreamFailure = upstreamStreamFailureMessage;
        input.logger.debug('upstream stream failed', {
          provider: provider.name,
          message: error instanceof Error ? error.message : String(error),
        });
      },
    );
    const stream = translateJSONEventStream({
      upstream: eventSource,
      schema: geminiResponseSchema,
      state,
      hooks: createStreamDataPipeline(pipeline.responseTransformers, context),
      getUpstreamFailure: () => upstreamFailure,
    });
    return { kind: 'stream', stream, getOutcome: () => state.getOutcome(), responseHeaders };
  }

  const payload = await applyResponseBodyTransformers(
    await readUpstreamJSON(input, response, upstream.url),
    pipeline.responseTransformers,
    context,
  );
  const parsed = geminiResponseSchema.safeParse(payload);
  if (
    !parsed.success ||
    (!parsed.data.candidates?.length && !parsed.data.promptFeedback?.blockReason)
  ) {
    throw invalidUpstreamResponseError(
      input,
      response.status,
      'returned a response without candidates',
    );
  }
  const { message, usage, usageEstimated } = convertGeminiResponse(parsed.data, {
    model,
    estimatedInputTokens: input.estimatedInputTokens,
  });
  return {
    kind: 'json',
    body: JSON.stringify(message),
    outcome: { usage, usageEstimated, stopReason: message.stop_reason },
    responseHeaders,
  };
}
