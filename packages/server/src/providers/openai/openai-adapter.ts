import type {
  ProviderAdapter,
  ProviderCallInput,
  ProviderCallResult,
} from '../provider-adapter.js';
import { invalidUpstreamResponseError } from '../common/send-upstream-request.js';
import {
  authorizeWithBearer,
  jsonCallResult,
  readTranslatedJSON,
  sendTranslatedRequest,
  streamTranslatedResponse,
} from '../common/translated-upstream-call.js';
import { hasUpstreamBody } from '../common/open-upstream-source.js';
import { convertOpenAIResponse } from './convert-openai-response.js';
import { isOpenAIChatResponse } from './is-openai-chat-chunk.js';
import { type OpenAIRequestSettings, convertToOpenAIRequest } from './convert-to-openai-request.js';
import { openaiChatResponseSchema } from './openai-api.js';
import { OpenAIStreamState } from './openai-stream-state.js';
import { translateOpenAISource } from './openai-stream-transformer.js';
import { reusedToolDefinitions } from './reused-tool-definitions.js';

// Kept here for the adapters that import it from this module.
export { pickResponseHeaders } from '../common/translated-upstream-call.js';

/**
 * OpenAI-compatible chat completions (DeepSeek, OpenRouter, Groq, Ollama, vLLM, …). `api_base_url`
 * is the full endpoint URL, as in CCR. I/O only: translation is in the `convert-*` modules.
 */
export function createOpenAIAdapter(): ProviderAdapter {
  return { specificationVersion: 'v1', id: 'openai', call: callOpenAI };
}

async function callOpenAI(input: ProviderCallInput): Promise<ProviderCallResult> {
  const { provider, model, request, pipeline } = input;
  const settings = (pipeline.settings ?? {}) as OpenAIRequestSettings;
  const converted = convertToOpenAIRequest(
    request,
    model,
    settings,
    reusedToolDefinitions(input, settings.removedSchemaKeywords),
  );
  for (const warning of converted.warnings) {
    input.logger.debug('openai translation dropped content', { provider: provider.name, warning });
  }
  const exchange = await sendTranslatedRequest(input, {
    body: converted.body as Record<string, unknown>,
    url: provider.api_base_url,
    streaming: converted.body.stream === true,
    authorize: authorizeWithBearer,
  });
  const { response } = exchange;

  if (exchange.body.stream === true && hasUpstreamBody(response)) {
    return streamTranslatedResponse(input, exchange, {
      createState: options => new OpenAIStreamState(options),
      translate: (upstream, state, getUpstreamFailure) =>
        translateOpenAISource({
          upstream,
          state,
          transformers: pipeline.responseTransformers,
          context: exchange.context,
          getUpstreamFailure,
        }),
    });
  }

  const payload = await readTranslatedJSON(input, exchange);
  // The usual answer is checked without zod (which would also copy it); anything else by the schema.
  const parsed = isOpenAIChatResponse(payload)
    ? { success: true as const, data: payload }
    : openaiChatResponseSchema.safeParse(payload);
  if (!parsed.success || parsed.data.choices.length === 0) {
    throw invalidUpstreamResponseError(
      input,
      response.status,
      'returned a response without choices',
    );
  }
  const answer = convertOpenAIResponse(parsed.data, {
    model,
    // Used only when the upstream reports no usage: otherwise the request is never tokenized.
    estimatedInputTokens: parsed.data.usage ? undefined : input.estimatedInputTokens,
  });
  for (const warning of answer.warnings) {
    input.logger.debug('openai response repaired', { warning });
  }
  return jsonCallResult(answer, exchange);
}
