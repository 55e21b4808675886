import type { MessagesResponse, ResponseContentBlock } from '@conduit/core';
import { estimateOutputTokens } from '../openai/convert-openai-response.js';
import type { UsageCounts } from '../provider-adapter.js';
import {
  conduitThinkingSignature,
  createMessageId,
  createToolUseId,
} from '../shared/response-ids.js';
import { convertGeminiUsage } from './convert-gemini-usage.js';
import type { GeminiResponse } from './gemini-api.js';
import { encodeThoughtSignature } from './gemini-thought-signature.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';

/**
 * A non-streaming `generateContent` response → an Anthropic message. Thought parts become
 * `thinking` blocks, text parts `text`, function calls `tool_use` (ids generated when Gemini sends
 * none). Thought signatures are kept for the next turn (see `gemini-thought-signature.ts`).
 * A prompt blocked before generation (`promptFeedback.blockReason`) is an empty `refusal`.
 */
export function convertGeminiResponse(
  response: GeminiResponse,
  options: { model: string; estimatedInputTokens?: number },
): { message: MessagesResponse; usage: UsageCounts; usageEstimated: boolean } {
  const candidate = response.candidates?.[0];
  const content: ResponseContentBlock[] = [];
  let hasFunctionCalls = false;
  const appendSignature = (signature: string | null | undefined) => {
    if (signature)
      content.push({ type: 'redacted_thinking', data: encodeThoughtSignature(signature) });
  };
  for (const part of candidate?.content?.parts ?? []) {
    const last = content.at(-1);
    if (part.thought === true) {
      const signature = part.thoughtSignature
        ? encodeThoughtSignature(part.thoughtSignature)
        : undefined;
      if (last?.type === 'thinking' && last.signature === conduitThinkingSignature) {
        last.thinking += part.text ?? '';
        if (signature) last.signature = signature;
      } else {
        content.push({
          type: 'thinking',
          thinking: part.text ?? '',
          signature: signature ?? conduitThinkingSignature,
        });
      }
      continue;
    }
    if (part.functionCall) {
      hasFunctionCalls = true;
      content.push({
        type: 'tool_use',
        id: createToolUseId(part.functionCall.id),
        name: part.functionCall.name ?? '',
        input: part.functionCall.args ?? {},
      });
      appendSignature(part.thoughtSignature);
      continue;
    }
    const text = part.text ?? '';
    if (text.length > 0) {
      if (last?.type === 'text') last.text += text;
      else content.push({ type: 'text', text });
    }
    appendSignature(part.thoughtSignature);
  }
  const blocked = response.promptFeedback?.blockReason;
  if (!content.some(block => block.type !== 'redacted_thinking'))
    content.unshift({ type: 'text', text: '' });
  const usageEstimated = !response.usageMetadata;
  const usage = response.usageMetadata
    ? convertGeminiUsage(response.usageMetadata)
    : {
        input_tokens: options.estimatedInputTokens ?? 0,
        output_tokens: estimateOutputTokens(content),
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      };
  return {
    message: {
      id: createMessageId(response.responseId),
      type: 'message',
      role: 'assistant',
      model: options.model,
      content,
      stop_reason: blocked
        ? 'refusal'
        : mapGeminiFinishReason(candidate?.finishReason, hasFunctionCalls),
      stop_sequence: null,
      usage: { ...usage },
    },
    usage,
    usageEstimated,
  };
}
