import { createAnthropicAdapter } from './anthropic/anthropic-adapter.js';
import { createGeminiAdapter } from './gemini/gemini-adapter.js';
import { createOpenAIAdapter } from './openai/openai-adapter.js';
import { createResponsesAdapter } from './openai-responses/responses-adapter.js';
import type { ProviderAdapter } from './provider-adapter.js';
import type { AdapterId } from './transformers/transformer-types.js';

/** The wire adapters by id. */
export function createProviderAdapters(): Record<AdapterId, ProviderAdapter> {
  return {
    anthropic: createAnthropicAdapter(),
    openai: createOpenAIAdapter(),
    gemini: createGeminiAdapter(),
    'openai-responses': createResponsesAdapter(),
  };
}
