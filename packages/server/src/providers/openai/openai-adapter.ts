import { ProviderAPIError } from '@conduit/core';
import type {
  ProviderAdapter,
  ProviderCallInput,
  ProviderCallResult,
} from '../provider-adapter.js';
import { guardUpstreamBody, upstreamStreamFailureMessage } from '../shared/guard-upstream-body.js';
import { createUpstreamHTTPError, createUpstreamNetworkError } from '../shared/upstream-error.js';
import type { TransformerContext } from '../transformers/transformer-types.js';
import { convertOpenAIResponse } from './convert-openai-response.js';
import { type OpenAIRequestSettings, convertToOpenAIRequest } from './convert-to-openai-request.js';
import { openaiChatResponseSchema } from './openai-api.js';
import { OpenAIStreamState } from './openai-stream-state.js';
import {
  createOpenAIStreamTransformer,
  translateOpenAIStream,
} from './openai-stream-transformer.js';

/**
 * OpenAI-compatible chat completions (DeepSeek, OpenRouter, Groq, Ollama, vLLM, …). `api_base_url`
 * is the full endpoint URL, as in CCR. I/O only: translation is in the `convert-*` modules.
 */
export function createOpenAIAdapter(): ProviderAdapter {
  return { specificationVersion: 'v1', id: 'openai', call: callOpenAI };
}

async function callOpenAI(input: ProviderCallInput): Promise<ProviderCallResult> {
  const { provider, model, request, pipeline, signal } = input;
  const context: TransformerContext = { provider, model, request };
  const converted = convertToOpenAIRequest(
    request,
    model,
    pipeline.settings as OpenAIRequestSettings,
  );
  for (const warning of converted.warnings) {
    input.logger.debug('openai translation dropped content', { provider: provider.name, warning });
  }
  let body = converted.body as Record<string, unknown>;
  for (const transformer of pipeline.requestTransformers) {
    body = transformer.transformRequestBody?.(body, context) ?? body;
  }
  const streaming = body.stream === true;
  const url = provider.api_base_url;
  const headers = new Headers({
    'content-type': 'application/json',
    accept: streaming ? 'text/event-stream' : 'application/json',
  });
  for (const [name, value] of Object.entries(provider.headers ?? {})) headers.set(name, value);
  if (input.apiKey) headers.set('authorization', `Bearer ${input.apiKey}`);

  let response: Response;
  try {
    response = await input.fetch(url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal,
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

  if (streaming && response.body) {
    const state = new OpenAIStreamState({
      model,
      estimatedInputTokens: input.estimatedInputTokens,
    });
    let upstreamFailure: string | undefined;
    const body = guardUpstreamBody(response.body, error => {
      upstreamFailure = upstreamStreamFailureMessage;
      input.logger.debug('upstream stream failed', {
        provider: provider.name,
        message: error instanceof Error ? error.message : String(error),
      });
    });
    const transformer = createOpenAIStreamTransformer({
      state,
      transformers: pipeline.responseTransformers,
      context,
      getUpstreamFailure: () => upstreamFailure,
    });
    return {
      kind: 'stream',
      stream: translateOpenAIStream(body, transformer),
      getOutcome: () => state.getOutcome(),
      responseHeaders,
    };
  }

  const text = await readBody(response, input);
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    throw invalidResponseError(input, response.status, 'returned a body that is not JSON');
  }
  for (const transformer of pipeline.responseTransformers) {
    if (!transformer.transformResponseBody) continue;
    payload =
      transformer.transformResponseBody(payload as Record<string, unknown>, context) ?? payload;
  }
  const parsed = openaiChatResponseSchema.safeParse(payload);
  if (!parsed.success || parsed.data.choices.length === 0) {
    throw invalidResponseError(input, response.status, 'returned a response without choices');
  }
  const { message, usage, usageEstimated, warnings } = convertOpenAIResponse(parsed.data, {
    model,
    estimatedInputTokens: input.estimatedInputTokens,
  });
  for (const warning of warnings) input.logger.debug('openai response repaired', { warning });
  return {
    kind: 'json',
    body: JSON.stringify(message),
    outcome: { usage, usageEstimated, stopReason: message.stop_reason },
    responseHeaders,
  };
}

async function readBody(response: Response, input: ProviderCallInput): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    throw createUpstreamNetworkError({
      error,
      provider: input.provider.name,
      model: input.model,
      url: input.provider.api_base_url,
      signal: input.signal,
    });
  }
}

function invalidResponseError(
  input: ProviderCallInput,
  status: number,
  problem: string,
): ProviderAPIError {
  return new ProviderAPIError({
    message: `Provider "${input.provider.name}" (model ${input.model}) ${problem}.`,
    provider: input.provider.name,
    model: input.model,
    statusCode: status,
    isRetryable: true,
  });
}

/** Upstream headers that are useful to the client and safe to return. */
export function pickResponseHeaders(headers: Headers): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of ['request-id', 'x-request-id']) {
    const value = headers.get(name);
    if (value) picked[`x-upstream-${name.replace(/^x-/, '')}`] = value;
  }
  return picked;
}
