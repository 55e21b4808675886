import type {
  ProviderAdapter,
  ProviderCallInput,
  ProviderCallResult,
} from '../provider-adapter.js';
import { upstreamStreamFailureMessage } from '../shared/guard-upstream-body.js';
import { openUpstreamEventSource } from '../shared/open-upstream-source.js';
import {
  invalidUpstreamResponseError,
  readUpstreamJSON,
  sendUpstreamRequest,
} from '../shared/send-upstream-request.js';
import {
  applyRequestTransformers,
  applyResponseBodyTransformers,
} from '../transformers/run-transformers.js';
import type { TransformerContext } from '../transformers/transformer-types.js';
import { convertOpenAIResponse } from './convert-openai-response.js';
import { type OpenAIRequestSettings, convertToOpenAIRequest } from './convert-to-openai-request.js';
import { openaiChatResponseSchema } from './openai-api.js';
import { OpenAIStreamState } from './openai-stream-state.js';
import { translateOpenAIStream } from './openai-stream-transformer.js';

/**
 * OpenAI-compatible chat completions (DeepSeek, OpenRouter, Groq, Ollama, vLLM, …). `api_base_url`
 * is the full endpoint URL, as in CCR. I/O only: translation is in the `convert-*` modules.
 */
export function createOpenAIAdapter(): ProviderAdapter {
  return { specificationVersion: 'v1', id: 'openai', call: callOpenAI };
}

async function callOpenAI(input: ProviderCallInput): Promise<ProviderCallResult> {
  const { provider, model, request, pipeline } = input;
  const converted = convertToOpenAIRequest(
    request,
    model,
    pipeline.settings as OpenAIRequestSettings,
  );
  for (const warning of converted.warnings) {
    input.logger.debug('openai translation dropped content', { provider: provider.name, warning });
  }
  const streaming = converted.body.stream === true;
  const headers = new Headers({
    'content-type': 'application/json',
    accept: streaming ? 'text/event-stream' : 'application/json',
  });
  for (const [name, value] of Object.entries(provider.headers ?? {})) headers.set(name, value);
  if (input.apiKey) headers.set('authorization', `Bearer ${input.apiKey}`);
  const upstream = { url: provider.api_base_url, headers };
  const context: TransformerContext = { provider, model, request, apiKey: input.apiKey, upstream };
  const body = await applyRequestTransformers(
    converted.body as Record<string, unknown>,
    pipeline.requestTransformers,
    context,
  );
  const url = upstream.url;
  const response = await sendUpstreamRequest(input, upstream, body);
  const responseHeaders = pickResponseHeaders(response.headers);

  if (body.stream === true && response.body) {
    const state = new OpenAIStreamState({
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
    return {
      kind: 'stream',
      stream: translateOpenAIStream({
        upstream: eventSource,
        state,
        transformers: pipeline.responseTransformers,
        context,
        getUpstreamFailure: () => upstreamFailure,
      }),
      getOutcome: () => state.getOutcome(),
      responseHeaders,
    };
  }

  const payload = await applyResponseBodyTransformers(
    await readUpstreamJSON(input, response, url),
    pipeline.responseTransformers,
    context,
  );
  const parsed = openaiChatResponseSchema.safeParse(payload);
  if (!parsed.success || parsed.data.choices.length === 0) {
    throw invalidUpstreamResponseError(
      input,
      response.status,
      'returned a response without choices',
    );
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

/** Upstream headers that are useful to the client and safe to return. */
export function pickResponseHeaders(headers: Headers): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of ['request-id', 'x-request-id']) {
    const value = headers.get(name);
    if (value) picked[`x-upstream-${name.replace(/^x-/, '')}`] = value;
  }
  return picked;
}
