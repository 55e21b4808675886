import type { MessagesRequest } from '@conduit/core';
import type { GeminiGenerationConfig, GeminiRequest, GeminiThinkingConfig } from './gemini-api.js';
import { convertSystemInstruction, convertToGeminiContents } from './convert-to-gemini-contents.js';
import { convertToGeminiTools } from './convert-to-gemini-tools.js';

/** The thinking budget range each Gemini family accepts. @see https://ai.google.dev/gemini-api/docs/thinking */
function thinkingBudgetRange(model: string): {
  minimum: number;
  maximum: number;
  canDisable: boolean;
} {
  if (/gemini-3/.test(model)) return { minimum: 128, maximum: 32768, canDisable: false };
  if (/pro/.test(model)) return { minimum: 128, maximum: 32768, canDisable: false };
  if (/flash-lite/.test(model)) return { minimum: 512, maximum: 24576, canDisable: true };
  return { minimum: 1, maximum: 24576, canDisable: true };
}

/**
 * Anthropic `thinking` → `thinkingConfig`: a budget becomes `thinkingBudget` (clamped to the
 * model's range) with `includeThoughts`, adaptive thinking becomes the dynamic budget (-1), and
 * `disabled` becomes 0 on models that can switch thinking off (Pro models cannot; they get no
 * thinking config and think with their default). No `thinking` → the model's default.
 */
export function convertThinkingConfig(
  thinking: MessagesRequest['thinking'],
  model: string,
): GeminiThinkingConfig | undefined {
  if (!thinking) return undefined;
  const range = thinkingBudgetRange(model);
  switch (thinking.type) {
    case 'disabled':
      return range.canDisable ? { thinkingBudget: 0 } : undefined;
    case 'adaptive':
      return { thinkingBudget: -1, includeThoughts: true };
    case 'enabled': {
      const budget = thinking.budget_tokens;
      if (budget === undefined) return { thinkingBudget: -1, includeThoughts: true };
      return {
        thinkingBudget: Math.min(range.maximum, Math.max(range.minimum, budget)),
        includeThoughts: true,
      };
    }
  }
}

/**
 * A whole Anthropic Messages request → a Gemini `generateContent` body. Kept: `system`, messages,
 * tools and `tool_choice`, `stop_sequences`, `temperature`, `top_p`, `top_k`, `max_tokens`
 * (→ `generationConfig`), `thinking` (→ `thinkingConfig`). Anthropic-only fields (`metadata`,
 * `cache_control`, `context_management`) have no Gemini meaning and are dropped.
 */
export function convertToGeminiRequest(
  request: MessagesRequest,
  model: string,
): { body: GeminiRequest; warnings: string[] } {
  const { contents, warnings } = convertToGeminiContents(request, model);
  const tools = convertToGeminiTools(request);
  warnings.push(...tools.warnings);
  const body: GeminiRequest = { contents };
  const systemInstruction = convertSystemInstruction(request.system);
  if (systemInstruction) body.systemInstruction = systemInstruction;
  if (tools.tools) body.tools = tools.tools;
  if (tools.toolConfig) body.toolConfig = tools.toolConfig;
  const generationConfig: GeminiGenerationConfig = { maxOutputTokens: request.max_tokens };
  if (request.stop_sequences && request.stop_sequences.length > 0) {
    generationConfig.stopSequences = request.stop_sequences;
  }
  if (request.temperature !== undefined) generationConfig.temperature = request.temperature;
  if (request.top_p !== undefined) generationConfig.topP = request.top_p;
  if (request.top_k !== undefined) generationConfig.topK = request.top_k;
  const thinkingConfig = convertThinkingConfig(request.thinking, model);
  if (thinkingConfig) generationConfig.thinkingConfig = thinkingConfig;
  body.generationConfig = generationConfig;
  return { body, warnings };
}
