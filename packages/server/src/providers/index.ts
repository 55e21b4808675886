import { createAnthropicAdapter } from './anthropic/anthropic-adapter.js';
import { createOpenAIAdapter } from './openai/openai-adapter.js';
import type { ProviderAdapter } from './provider-adapter.js';
import type { AdapterId } from './transformers/transformer-types.js';

/** The wire adapters by id (issue 11 adds Gemini and the Responses API here). */
export function createProviderAdapters(): Record<AdapterId, ProviderAdapter> {
  return { anthropic: createAnthropicAdapter(), openai: createOpenAIAdapter() };
}
