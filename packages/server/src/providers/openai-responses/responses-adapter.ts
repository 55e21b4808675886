import type {
  ProviderAdapter,
  ProviderCallInput,
  ProviderCallResult,
} from '../provider-adapter.js';
import { invalidUpstreamResponseError } from '../common/send-upstream-request.js';
import { translateJSONEventSource } from '../common/translate-json-event-stream.js';
import {
  authorizeWithBearer,
  jsonCallResult,
  readTranslatedJSON,
  sendTranslatedRequest,
  streamTranslatedResponse,
} from '../common/translated-upstream-call.js';
import { hasUpstreamBody } from '../common/open-upstream-source.js';
import { createStreamDataPipeline } from '../transformers/run-transformers.js';
import { convertResponsesResponse } from './convert-responses-response.js';
import {
  type ReasoningSummaryMode,
  convertToResponsesRequest,
} from './convert-to-responses-request.js';
import { responsesResponseSchema, responsesStreamEventSchema } from './responses-api.js';
import { ResponsesStreamState } from './responses-stream-state.js';

/**
 * OpenAI Responses API (`transformer.use: ["openai-responses"]`, `api_base_url` ending in
 * `/v1/responses`), for models only served there (gpt-5 family, codex). Bearer auth. I/O only.
 */
export function createResponsesAdapter(): ProviderAdapter {
  return { specificationVersion: 'v1', id: 'openai-responses', call: callResponses };
}

async function callResponses(input: ProviderCallInput): Promise<ProviderCallResult> {
  const { provider, model, request, pipeline } = input;
  const converted = convertToResponsesRequest(request, model, {
    reasoningSummary: pipeline.settings.reasoningSummary as ReasoningSummaryMode | undefined,
  });
  for (const warning of converted.warnings) {
    input.logger.debug('responses translation dropped content', {
      provider: provider.name,
      warning,
    });
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
      createState: options => new ResponsesStreamState(options),
      translate: (upstream, state, getUpstreamFailure) =>
        translateJSONEventSource({
          upstream,
          schema: responsesStreamEventSchema,
          state,
          hooks: createStreamDataPipeline(pipeline.responseTransformers, exchange.context),
          getUpstreamFailure,
        }),
    });
  }

  const parsed = responsesResponseSchema.safeParse(await readTranslatedJSON(input, exchange));
  if (!parsed.success || !parsed.data.output) {
    throw invalidUpstreamResponseError(
      input,
      response.status,
      'returned a response without output',
    );
  }
  if (parsed.data.status === 'failed') {
    throw invalidUpstreamResponseError(
      input,
      response.status,
      `reported a failed response (${parsed.data.error?.message ?? 'no message'})`,
    );
  }
  const answer = convertResponsesResponse(parsed.data, {
    model,
    // Used only when the upstream reports no usage: otherwise the request is never tokenized.
    estimatedInputTokens: parsed.data.usage ? undefined : input.estimatedInputTokens,
  });
  for (const warning of answer.warnings) {
    input.logger.debug('responses answer repaired', { warning });
  }
  return jsonCallResult(answer, exchange);
}
