import type { UsageCounts } from '../provider-adapter.js';
import type { GeminiUsage } from './gemini-api.js';

/**
 * Gemini `usageMetadata` → Anthropic usage. `promptTokenCount` includes cached tokens (and tool-use
 * prompt tokens are counted separately), so `input_tokens = prompt + toolUsePrompt − cached` and
 * the cached part is `cache_read_input_tokens`. Output is `candidates + thoughts`: Gemini bills
 * thinking as output, as Anthropic does.
 */
export function convertGeminiUsage(usage: NonNullable<GeminiUsage>): UsageCounts {
  const prompt = (usage.promptTokenCount ?? 0) + (usage.toolUsePromptTokenCount ?? 0);
  const cached = Math.min(usage.cachedContentTokenCount ?? 0, prompt);
  return {
    input_tokens: prompt - cached,
    output_tokens: (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}
