import type { StopReason } from '@conduit/core';

const refusalReasons = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'LANGUAGE',
]);

/**
 * Gemini `finishReason` → Anthropic `stop_reason`. `STOP` is `tool_use` when the turn made
 * function calls (Gemini has no separate reason for it); `MAX_TOKENS` is `max_tokens`; content
 * withheld for policy reasons (`SAFETY`, `RECITATION`, `PROHIBITED_CONTENT`, …) is `refusal`;
 * anything else (`OTHER`, `MALFORMED_FUNCTION_CALL`, unknown values) ends the turn.
 *
 * @see https://ai.google.dev/api/generate-content#FinishReason
 * @see https://docs.anthropic.com/en/api/handling-stop-reasons
 */
export function mapGeminiFinishReason(
  finishReason: string | null | undefined,
  hasFunctionCalls: boolean,
): StopReason {
  if (finishReason === 'MAX_TOKENS') return 'max_tokens';
  if (finishReason && refusalReasons.has(finishReason)) return 'refusal';
  return hasFunctionCalls ? 'tool_use' : 'end_turn';
}
