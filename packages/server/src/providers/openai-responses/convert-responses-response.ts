import type { ResponseContentBlock, StopReason } from '@conduit/core';
import type { UsageCounts } from '../provider-adapter.js';
import { type ConvertedMessage, buildAnthropicMessage } from '../common/build-anthropic-message.js';
import { parseToolArguments } from '../common/parse-tool-arguments.js';
import { conduitThinkingSignature, createToolUseId } from '../common/response-ids.js';
import type { ResponsesOutputItem, ResponsesResponse, ResponsesUsage } from './responses-api.js';
import { encodeReasoningSignature } from './responses-reasoning-signature.js';

/**
 * Responses usage → Anthropic usage: `input_tokens` includes cached tokens, so the cached part is
 * split out as `cache_read_input_tokens`; `output_tokens` already includes reasoning tokens.
 */
export function convertResponsesUsage(usage: NonNullable<ResponsesUsage>): UsageCounts {
  const input = usage.input_tokens ?? 0;
  const cached = Math.min(usage.input_tokens_details?.cached_tokens ?? 0, input);
  return {
    input_tokens: input - cached,
    output_tokens: usage.output_tokens ?? 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}

/**
 * `status` + `incomplete_details.reason` → Anthropic `stop_reason`: an incomplete response cut by
 * `max_output_tokens` is `max_tokens`, one cut by `content_filter` (or a refusal part) is
 * `refusal`; a completed one is `tool_use` when it made function calls, else `end_turn`.
 * @see https://platform.openai.com/docs/api-reference/responses/object
 */
export function mapResponsesStopReason(options: {
  status: string | null | undefined;
  incompleteReason: string | null | undefined;
  hasFunctionCalls: boolean;
  refused: boolean;
}): StopReason {
  if (options.status === 'incomplete') {
    if (options.incompleteReason === 'max_output_tokens') return 'max_tokens';
    if (options.incompleteReason === 'content_filter') return 'refusal';
  }
  if (options.refused) return 'refusal';
  return options.hasFunctionCalls ? 'tool_use' : 'end_turn';
}

/** A reasoning item's summary text (summary parts separated by blank lines). */
export function reasoningSummaryText(item: ResponsesOutputItem): string {
  return (item.summary ?? [])
    .map(part => part.text ?? '')
    .filter(Boolean)
    .join('\n\n');
}

/** The `thinking` signature for a finished reasoning item. */
export function reasoningSignature(item: ResponsesOutputItem): string {
  return item.id
    ? encodeReasoningSignature({
        id: item.id,
        ...(item.encrypted_content ? { encrypted_content: item.encrypted_content } : {}),
      })
    : conduitThinkingSignature;
}

/**
 * A non-streaming Responses API answer → an Anthropic message: reasoning items → `thinking`
 * (summary text, signature carrying the item for the round-trip), message `output_text` → `text`
 * (refusals as text), `function_call` → `tool_use` (id = `call_id`).
 */
export function convertResponsesResponse(
  response: ResponsesResponse,
  options: { model: string; estimatedInputTokens?: number },
): ConvertedMessage & { warnings: string[] } {
  const warnings: string[] = [];
  const content: ResponseContentBlock[] = [];
  let hasFunctionCalls = false;
  let refused = false;
  for (const item of response.output ?? []) {
    if (item.type === 'reasoning') {
      content.push({
        type: 'thinking',
        thinking: reasoningSummaryText(item),
        signature: reasoningSignature(item),
      });
    } else if (item.type === 'message') {
      for (const part of item.content ?? []) {
        const text = part.type === 'refusal' ? part.refusal : part.text;
        if (part.type === 'refusal') refused = true;
        if (text) content.push({ type: 'text', text });
      }
    } else if (item.type === 'function_call') {
      hasFunctionCalls = true;
      const parsed = parseToolArguments(item.arguments);
      if (parsed.failed)
        warnings.push(`function call "${item.name}" had unparseable arguments; sent {}.`);
      content.push({
        type: 'tool_use',
        id: createToolUseId(item.call_id ?? item.id),
        name: item.name ?? '',
        input: parsed.input,
      });
    } else {
      warnings.push(`output item of type "${item.type}" is not supported; dropped.`);
    }
  }
  if (content.length === 0) content.push({ type: 'text', text: '' });
  return {
    ...buildAnthropicMessage({
      upstreamId: response.id,
      model: options.model,
      content,
      stopReason: mapResponsesStopReason({
        status: response.status,
        incompleteReason: response.incomplete_details?.reason,
        hasFunctionCalls,
        refused,
      }),
      upstreamUsage: response.usage ? convertResponsesUsage(response.usage) : undefined,
      estimatedInputTokens: options.estimatedInputTokens,
    }),
    warnings,
  };
}
