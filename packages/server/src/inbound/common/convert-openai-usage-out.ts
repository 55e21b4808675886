import type { UsageCounts } from '../../providers/provider-adapter.js';
import type { ChatCompletionUsage } from '../openai-chat/chat-completions-api.js';

/** Anthropic usage as reported on the wire (cache fields may be missing or null). */
export interface AnthropicUsageLike {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/** Anthropic usage (cache reads and writes outside `input_tokens`) → the four counts, zero-filled. */
export function toUsageCounts(usage: AnthropicUsageLike | null | undefined): UsageCounts {
  return {
    input_tokens: usage?.input_tokens ?? 0,
    output_tokens: usage?.output_tokens ?? 0,
    cache_creation_input_tokens: usage?.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: usage?.cache_read_input_tokens ?? 0,
  };
}

/**
 * Anthropic usage → Chat Completions usage. OpenAI counts cached tokens inside `prompt_tokens`
 * (`prompt_tokens_details.cached_tokens` is the subset), so cache reads and writes are added back.
 */
export function convertToChatUsage(
  usage: AnthropicUsageLike | null | undefined,
): ChatCompletionUsage {
  const counts = toUsageCounts(usage);
  const promptTokens =
    counts.input_tokens + counts.cache_read_input_tokens + counts.cache_creation_input_tokens;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: counts.output_tokens,
    total_tokens: promptTokens + counts.output_tokens,
    prompt_tokens_details: { cached_tokens: counts.cache_read_input_tokens },
  };
}

/** Responses API usage (same accounting as chat, different names). */
export interface ResponsesUsageOut {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

/** Anthropic usage → Responses API usage. */
export function convertToResponsesUsage(
  usage: AnthropicUsageLike | null | undefined,
): ResponsesUsageOut {
  const chat = convertToChatUsage(usage);
  return {
    input_tokens: chat.prompt_tokens,
    input_tokens_details: { cached_tokens: chat.prompt_tokens_details.cached_tokens },
    output_tokens: chat.completion_tokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: chat.total_tokens,
  };
}

const usageFields = [
  'input_tokens',
  'output_tokens',
  'cache_creation_input_tokens',
  'cache_read_input_tokens',
] as const;

/** Streams report usage in `message_start` and again (cumulatively) in `message_delta`. */
export function mergeAnthropicUsage(
  target: AnthropicUsageLike,
  usage: AnthropicUsageLike | null | undefined,
): void {
  if (!usage) return;
  for (const field of usageFields) {
    const value = usage[field];
    if (typeof value === 'number') target[field] = value;
  }
}
