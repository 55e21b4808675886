import { randomBytes } from 'node:crypto';
import { ProviderAPIError } from '@conduit/core';
import type { TransformerDefinition, TransformerInstance } from '../transformer-types.js';
import { isPlainObject, noOptionsProblems, numberOptionProblems } from './transformer-options.js';

/** DeepSeek's output limits: 8K for deepseek-chat, 64K for deepseek-reasoner. */
function deepseekOutputLimit(model: string): number {
  return /reasoner/.test(model) ? 65536 : 8192;
}

/**
 * `deepseek` (CCR): caps `max_tokens` at DeepSeek's limit. CCR caps every model at 8192, which
 * cuts deepseek-reasoner (64K output) short; Conduit uses the model's real limit, or option
 * `max_tokens` when set. Reasoning (`reasoning_content`) maps to `thinking` blocks natively, and
 * is sent back on tool-call turns as DeepSeek requires (CCR #1050).
 */
export const deepseekTransformer: TransformerDefinition = {
  name: 'deepseek',
  description: 'DeepSeek: caps max_tokens at the model limit (8K chat, 64K reasoner).',
  validateOptions: options =>
    numberOptionProblems(options, ['max_tokens'], { integer: true, positive: true }),
  create: options => ({
    name: 'deepseek',
    transformRequestBody: (body, context) => {
      const limit =
        typeof options.max_tokens === 'number'
          ? options.max_tokens
          : deepseekOutputLimit(context.model);
      if (typeof body.max_tokens === 'number' && body.max_tokens > limit) body.max_tokens = limit;
      return body;
    },
  }),
};

/** OpenRouter and Vercel report failures as `finish_reason: "error"` chunks; make them errors. */
function streamErrorChunk(data: Record<string, unknown>): Record<string, unknown> | undefined {
  const choice = (data.choices as Array<Record<string, unknown>> | undefined)?.[0];
  if (choice?.finish_reason !== 'error') return undefined;
  return { error: choice.error ?? { message: 'The upstream reported an error.' } };
}

function gatewayTransformer(
  name: string,
  description: string,
  reasoningFormat?: string,
): TransformerDefinition {
  return {
    name,
    description,
    validateOptions: options =>
      Object.entries(options)
        .filter(([key]) => ['model', 'messages', 'stream'].includes(key))
        .map(([key]) => `option "${key}" would overwrite the request's own "${key}"; remove it.`),
    create: (options): TransformerInstance => ({
      name,
      ...(reasoningFormat ? { settings: { reasoningFormat } } : {}),
      transformRequestBody: body => Object.assign(body, structuredClone(options)),
      transformStreamData: data => streamErrorChunk(data) ?? data,
      transformResponseBody: (body, context) => {
        const error = streamErrorChunk(body);
        if (error) {
          throw new ProviderAPIError({
            message: `Provider "${context.provider.name}" (model ${context.model}) reported an error: ${JSON.stringify(error.error)}`,
            provider: context.provider.name,
            model: context.model,
            statusCode: 502,
          });
        }
        return body;
      },
    }),
  };
}

/**
 * `openrouter` (CCR): options are merged into the body (e.g. `{"provider": {"only": [...]}}`
 * routing preferences), thinking is sent as OpenRouter's `reasoning` object, `delta.reasoning`
 * becomes `thinking`, missing tool-call ids are generated, and `finish_reason: "error"` chunks
 * become stream errors. (CCR strips `cache_control` for non-Claude models; Conduit's
 * translation never sends it.)
 */
export const openrouterTransformer = gatewayTransformer(
  'openrouter',
  'OpenRouter: merges options (provider routing), reasoning object, stream error chunks.',
  'openrouter',
);

/** `vercel` (CCR): like `openrouter`, for the Vercel AI Gateway (options merged into the body). */
export const vercelTransformer = gatewayTransformer(
  'vercel',
  'Vercel AI Gateway: merges options into the body, stream error chunks.',
);

function syntheticCallId(): string {
  return `call_${randomBytes(12).toString('base64url')}`;
}

/**
 * `groq` (CCR): removes `$schema` from tool parameters and gives tool calls that arrive without
 * an id one (Groq streams whole calls, sometimes without ids).
 */
export const groqTransformer: TransformerDefinition = {
  name: 'groq',
  description: 'Groq: strips $schema from tool parameters, fills missing tool-call ids.',
  validateOptions: options => noOptionsProblems('groq', options),
  create: () => ({
    name: 'groq',
    transformRequestBody: body => {
      for (const tool of (body.tools as
        | Array<{ function?: { parameters?: unknown } }>
        | undefined) ?? []) {
        const parameters = tool.function?.parameters;
        if (isPlainObject(parameters)) delete parameters.$schema;
      }
      return body;
    },
    transformStreamData: data => {
      const choices = data.choices as
        | Array<{ delta?: { tool_calls?: Array<Record<string, unknown>> } }>
        | undefined;
      for (const call of choices?.[0]?.delta?.tool_calls ?? []) {
        const hasName = isPlainObject(call.function) && typeof call.function.name === 'string';
        if (hasName && !call.id) call.id = syntheticCallId();
      }
      return data;
    },
  }),
};
