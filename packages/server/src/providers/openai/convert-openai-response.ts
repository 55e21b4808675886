import type { MessagesResponse, ResponseContentBlock } from '@conduit/core';
import { parseToolArguments } from '../shared/parse-tool-arguments.js';
import {
  conduitThinkingSignature,
  createMessageId,
  createToolUseId,
} from '../shared/response-ids.js';
import type { UsageCounts } from '../provider-adapter.js';
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
): { message: MessagesResponse; usage: UsageCounts; usageEstimated: boolean; warnings: string[] } {
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

  const usageEstimated = !response.usage;
  const usage: UsageCounts = response.usage
    ? convertOpenAIUsage(response.usage)
    : {
        input_tokens: options.estimatedInputTokens ?? 0,
        output_tokens: estimateOutputTokens(content),
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      };
  return {
    message: {
      id: createMessageId(response.id),
      type: 'message',
      role: 'assistant',
      model: options.model,
      content,
      stop_reason: mapOpenAIFinishReason(choice?.finish_reason, toolCalls.length > 0),
      stop_sequence: null,
      usage: { ...usage },
    },
    usage,
    usageEstimated,
    warnings,
  };
}

/** Rough output estimate (4 characters per token) for vendors that report no usage. */
export function estimateOutputTokens(content: ResponseContentBlock[]): number {
  let characters = 0;
  for (const block of content) {
    if (block.type === 'text') characters += block.text.length;
    else if (block.type === 'thinking') characters += block.thinking.length;
    else if (block.type === 'tool_use') characters += JSON.stringify(block.input).length;
  }
  return Math.ceil(characters / 4);
}
