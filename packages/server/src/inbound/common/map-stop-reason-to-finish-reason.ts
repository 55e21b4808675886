import type { ChatFinishReason } from '../openai-chat/chat-completions-api.js';

/**
 * Anthropic `stop_reason` → OpenAI `finish_reason` (the inverse of `mapOpenAIFinishReason`).
 * `pause_turn` and a missing reason end the turn normally; `refusal` is `content_filter`.
 * @see https://docs.anthropic.com/en/api/handling-stop-reasons
 */
export function mapStopReasonToFinishReason(
  stopReason: string | null | undefined,
): ChatFinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}
