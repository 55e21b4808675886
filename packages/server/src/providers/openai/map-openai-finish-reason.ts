import type { StopReason } from '@conduit/core';

/**
 * OpenAI `finish_reason` → Anthropic `stop_reason`.
 *
 * `content_filter` maps to `refusal`: the output was withheld for policy reasons, which is what
 * Anthropic's `refusal` means (CCR used `stop_sequence`, which makes clients look for a sequence
 * that never matched). A `stop` that came with tool calls is `tool_use`: Ollama and some vLLM
 * builds report `stop` even when the turn ends in tool calls.
 *
 * @see https://platform.openai.com/docs/api-reference/chat/object#chat/object-choices
 * @see https://docs.anthropic.com/en/api/handling-stop-reasons
 */
export function mapOpenAIFinishReason(
  finishReason: string | null | undefined,
  hasToolCalls = false,
): StopReason {
  switch (finishReason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return hasToolCalls ? 'tool_use' : 'end_turn';
  }
}
