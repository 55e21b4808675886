import { pickResponseHeaders } from '../openai/openai-adapter.js';
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
import { translateJSONEventStream } from '../shared/translate-json-event-stream.js';
import {
  applyRequestTransformers,
  applyResponseBodyTransformers,
  createStreamDataPipeline,
} from '../transformers/run-transformers.js';
import type { TransformerContext } from '../transformers/transformer-types.js';
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
  const response = await sendUpstreamRequest(input, upstream, body);
  const responseHeaders = pickResponseHeaders(response.headers);

  if (body.stream === true && response.body) {
    const state = new ResponsesStreamState({
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
      schema: responsesStreamEventSchema,
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
  const parsed = responsesResponseSchema.safeParse(payload);
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
  const { message, usage, usageEstimated, warnings } = convertResponsesResponse(parsed.data, {
    model,
    estimatedInputTokens: input.estimatedInputTokens,
  });
  for (const warning of warnings) input.logger.debug('responses answer repaired', { warning });
  return {
    kind: 'json',
    body: JSON.stringify(message),
    outcome: { usage, usageEstimated, stopReason: message.stop_reason },
    responseHeaders,
  };
}
