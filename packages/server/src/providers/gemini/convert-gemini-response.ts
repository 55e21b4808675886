import type { ResponseContentBlock } from '@conduit/core';
import { type ConvertedMessage, buildAnthropicMessage } from '../common/build-anthropic-message.js';
import { conduitThinkingSignature, createToolUseId } from '../common/response-ids.js';
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
): ConvertedMessage {
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
  return buildAnthropicMessage({
    upstreamId: response.responseId,
    model: options.model,
    content,
    stopReason: blocked
      ? 'refusal'
      : mapGeminiFinishReason(candidate?.finishReason, hasFunctionCalls),
    upstreamUsage: response.usageMetadata ? convertGeminiUsage(response.usageMetadata) : undefined,
    estimatedInputTokens: options.estimatedInputTokens,
  });
}
