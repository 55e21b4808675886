import type { MessagesResponse } from '@conduit/core';
import { convertToChatUsage } from '../common/convert-openai-usage-out.js';
import { mapStopReasonToFinishReason } from '../common/map-stop-reason-to-finish-reason.js';
import type { ChatCompletion, ChatToolCall } from './chat-completions-api.js';

/** `msg_abc` → `chatcmpl-abc`: the same answer keeps one id across both APIs. */
export function chatCompletionId(messageId: string): string {
  return `chatcmpl-${messageId.replace(/^msg_/, '')}`;
}

/**
 * An Anthropic message → a `chat.completion`. Text blocks join into `content`, `tool_use` blocks
 * become `tool_calls` (arguments as a JSON string), thinking becomes `reasoning_content`.
 * `model` is the model that served (as OpenAI reports its snapshot name), like `/v1/messages`.
 */
export function convertMessagesToChatCompletion(
  message: MessagesResponse,
  options: { created: number },
): ChatCompletion {
  const texts: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: ChatToolCall[] = [];
  for (const block of message.content) {
    if (block.type === 'text') texts.push(block.text);
    else if (block.type === 'thinking') reasoning.push(block.thinking);
    else if (block.type === 'tool_use') {
      toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      });
    }
  }
  const finishReason = mapStopReasonToFinishReason(message.stop_reason);
  const text = texts.join('');
  const completionMessage: ChatCompletion['choices'][number]['message'] = {
    role: 'assistant',
    content: text === '' && toolCalls.length > 0 ? null : text,
    refusal: null,
  };
  if (toolCalls.length > 0) completionMessage.tool_calls = toolCalls;
  if (reasoning.length > 0) completionMessage.reasoning_content = reasoning.join('');
  return {
    id: chatCompletionId(message.id),
    object: 'chat.completion',
    created: options.created,
    model: message.model,
    choices: [
      { index: 0, message: completionMessage, logprobs: null, finish_reason: finishReason },
    ],
    usage: convertToChatUsage(message.usage),
  };
}
