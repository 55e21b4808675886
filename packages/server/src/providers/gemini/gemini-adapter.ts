import type {
  ProviderAdapter,
  ProviderCallInput,
  ProviderCallResult,
} from '../provider-adapter.js';
import { invalidUpstreamResponseError } from '../common/send-upstream-request.js';
import { translateJSONEventSource } from '../common/translate-json-event-stream.js';
import {
  jsonCallResult,
  readTranslatedJSON,
  sendTranslatedRequest,
  streamTranslatedResponse,
} from '../common/translated-upstream-call.js';
import { hasUpstreamBody } from '../common/open-upstream-source.js';
import { createStreamDataPipeline } from '../transformers/run-transformers.js';
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
  const exchange = await sendTranslatedRequest(input, {
    body: converted.body as Record<string, unknown>,
    url: resolveGeminiURL(provider.api_base_url, model, streaming),
    streaming,
    authorize: authorizeWithGoogleAPIKey,
    retryAfterFromBody: readGeminiRetryDelay,
  });
  const { response } = exchange;

  if (streaming && hasUpstreamBody(response)) {
    return streamTranslatedResponse(input, exchange, {
      createState: options => new GeminiStreamState(options),
      translate: (upstream, state, getUpstreamFailure) =>
        translateJSONEventSource({
          upstream,
          schema: geminiResponseSchema,
          state,
          hooks: createStreamDataPipeline(pipeline.responseTransformers, exchange.context),
          getUpstreamFailure,
        }),
    });
  }

  const parsed = geminiResponseSchema.safeParse(await readTranslatedJSON(input, exchange));
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
  const answer = convertGeminiResponse(parsed.data, {
    model,
    // Used only when the upstream reports no usage: otherwise the request is never tokenized.
    estimatedInputTokens: parsed.data.usageMetadata ? undefined : input.estimatedInputTokens,
  });
  return jsonCallResult(answer, exchange);
}

function authorizeWithGoogleAPIKey(headers: Headers, apiKey: string): void {
  headers.set('x-goog-api-key', apiKey);
}
