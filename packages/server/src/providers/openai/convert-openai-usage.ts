import type { UsageCounts } from '../provider-adapter.js';
import type { OpenAIUsage } from './openai-api.js';

/**
 * OpenAI usage → Anthropic usage. OpenAI's `prompt_tokens` includes cached tokens; Anthropic's
 * `input_tokens` excludes cache reads, so `input_tokens = prompt_tokens − cached_tokens` and the
 * cached part is reported as `cache_read_input_tokens`. OpenAI-compatible APIs bill no cache
 * writes, so `cache_creation_input_tokens` is 0.
 */
export function convertOpenAIUsage(usage: NonNullable<OpenAIUsage>): UsageCounts {
  const promptTokens = usage.prompt_tokens ?? 0;
  const cachedTokens = Math.min(
    usage.prompt_tokens_details?.cached_tokens ?? usage.prompt_cache_hit_tokens ?? 0,
    promptTokens,
  );
  return {
    input_tokens: promptTokens - cachedTokens,
    output_tokens: usage.completion_tokens ?? 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cachedTokens,
  };
}
