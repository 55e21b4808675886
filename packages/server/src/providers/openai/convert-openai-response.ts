import type { ResponseContentBlock } from '@conduit/core';
import { type ConvertedMessage, buildAnthropicMessage } from '../common/build-anthropic-message.js';
import { parseToolArguments } from '../common/parse-tool-arguments.js';
import { conduitThinkingSignature, createToolUseId } from '../common/response-ids.js';
import { convertOpenAIUsage } from './convert-openai-usage.js';
import type { OpenAIChatResponse } from './openai-api.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';

export interface ConvertOpenAIResponseOptions {
  /** Model id reported back to the client (the routed upstream model). */
  model: string;
  /** Used when the upstream reports no usage. */
  estimatedInputTokens?: number;
}

/**
 * A non-streaming OpenAI chat completion → an Anthropic message. Reasoning (`reasoning_content` or
 * `reasoning`) becomes a `thinking` block placed first, with Conduit's signature; then text, then
 * one `tool_use` block per tool call.
 */
export function convertOpenAIResponse(
  response: OpenAIChatResponse,
  options: ConvertOpenAIResponseOptions,
): ConvertedMessage & { warnings: string[] } {
  const warnings: string[] = [];
  const choice = response.choices[0];
  const content: ResponseContentBlock[] = [];
  const reasoning = choice?.message.reasoning_content ?? choice?.message.reasoning;
  if (reasoning) {
    content.push({ type: 'thinking', thinking: reasoning, signature: conduitThinkingSignature });
  }
  const text = choice?.message.content ?? choice?.message.refusal;
  if (text) content.push({ type: 'text', text });
  const toolCalls = choice?.message.tool_calls ?? [];
  for (const toolCall of toolCalls) {
    const parsed = parseToolArguments(toolCall.function.arguments);
    if (parsed.failed) {
      warnings.push(`tool call "${toolCall.function.name}" had unparseable arguments; sent {}.`);
    }
    content.push({
      type: 'tool_use',
      id: createToolUseId(toolCall.id),
      name: toolCall.function.name ?? '',
      input: parsed.input,
    });
  }
  if (content.length === 0) content.push({ type: 'text', text: '' });

  return {
    ...buildAnthropicMessage({
      upstreamId: response.id,
      model: options.model,
      content,
      stopReason: mapOpenAIFinishReason(choice?.finish_reason, toolCalls.length > 0),
      upstreamUsage: response.usage ? convertOpenAIUsage(response.usage) : undefined,
      estimatedInputTokens: options.estimatedInputTokens,
    }),
    warnings,
  };
}
