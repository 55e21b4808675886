import type { MessagesRequest } from '@conduit/core';
import {
  type MidConversationSystemMode,
  convertToOpenAIMessages,
} from './convert-to-openai-messages.js';
import { type OpenAIToolDefinitions, convertToOpenAITools } from './convert-to-openai-tools.js';
import type { OpenAIChatRequest } from './openai-api.js';
import { readOpenAIClientFields } from './openai-client-fields.js';
import { type ReasoningFormat, mapThinkingToReasoning } from './map-thinking-to-reasoning.js';

/** Per-provider knobs of the OpenAI-compatible translation (set through transformer options). */
export interface OpenAIRequestSettings {
  midConversationSystem?: MidConversationSystemMode;
  /** JSON-Schema keywords removed from tool parameters; defaults to `["$schema"]`. */
  removedSchemaKeywords?: readonly string[];
  /** Reasoning controls; `none` unless the `reasoning` transformer says otherwise. */
  reasoningFormat?: ReasoningFormat;
}

/**
 * A whole Anthropic Messages request → an OpenAI chat-completions body for `model`.
 *
 * Kept: `max_tokens`, `temperature`, `top_p`, `stop_sequences` (→ `stop`), `metadata.user_id`
 * (→ `user`), `stream` (+ `stream_options.include_usage`, so usage arrives at the end of the stream).
 * Dropped with a warning: `top_k` (not in OpenAI's API; strict vendors reject it) and
 * `output_config.format` (few vendors support `json_schema`; Claude Code only loses session titles).
 * Anthropic-only fields (`context_management`, `cache_control`, `anthropic-beta` features) are dropped.
 * `toolDefinitions`: the request's tools already translated (see `convertToOpenAIToolDefinitions`).
 */
export function convertToOpenAIRequest(
  request: MessagesRequest,
  model: string,
  settings: OpenAIRequestSettings = {},
  toolDefinitions?: OpenAIToolDefinitions,
): { body: OpenAIChatRequest; warnings: string[] } {
  const { messages, warnings } = convertToOpenAIMessages(request, {
    midConversationSystem: settings.midConversationSystem,
  });
  const tools = convertToOpenAITools(
    request,
    { removedSchemaKeywords: settings.removedSchemaKeywords },
    toolDefinitions,
  );
  warnings.push(...tools.warnings);

  const body: OpenAIChatRequest = { model, messages, max_tokens: request.max_tokens };
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.top_p !== undefined) body.top_p = request.top_p;
  if (request.stop_sequences && request.stop_sequences.length > 0) {
    body.stop = request.stop_sequences;
  }
  const userId = request.metadata?.user_id;
  if (typeof userId === 'string' && userId.length > 0) body.user = userId;
  if (tools.tools) body.tools = tools.tools;
  if (tools.tool_choice !== undefined) body.tool_choice = tools.tool_choice;
  if (tools.parallel_tool_calls !== undefined) body.parallel_tool_calls = tools.parallel_tool_calls;
  Object.assign(body, mapThinkingToReasoning(request, settings.reasoningFormat ?? 'none'));
  if (request.stream === true) {
    body.stream = true;
    body.stream_options = { include_usage: true };
  }
  const clientFields = readOpenAIClientFields(request);
  if (clientFields) {
    // The OpenAI door's client asked in this API: its own fields win (o-series models reject
    // `max_tokens` next to `max_completion_tokens`, for example).
    if (clientFields.max_completion_tokens !== undefined) delete body.max_tokens;
    Object.assign(body, clientFields);
  }
  if (request.top_k !== undefined) warnings.push('top_k is not supported by OpenAI; dropped.');
  const outputConfig = (request as Record<string, unknown>).output_config as
    | { format?: unknown }
    | undefined;
  if (outputConfig?.format !== undefined) {
    warnings.push('output_config.format (structured output) is not forwarded; dropped.');
  }
  return { body, warnings };
}
