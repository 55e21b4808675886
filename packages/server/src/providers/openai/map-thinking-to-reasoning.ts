import type { MessagesRequest } from '@conduit/core';

/**
 * How a provider wants reasoning switched on. OpenAI-compatible vendors disagree, so this is set per
 * provider with the `reasoning` transformer (`["reasoning", {"format": "..."}]`):
 * - `none`: send nothing (the default without the transformer; vendors that reason always, such as
 *   deepseek-reasoner, still have their reasoning mapped back to `thinking` blocks).
 * - `reasoning_effort`: OpenAI's `reasoning_effort: "low" | "medium" | "high"` (o-series, gpt-5, vLLM).
 * - `openrouter`: OpenRouter's `reasoning: { max_tokens }` or `reasoning: { effort }`.
 * - `thinking`: CCR's `reasoning` transformer output, `thinking: { type, budget_tokens }` plus
 *   `enable_thinking` (Qwen, GLM, SiliconFlow, DashScope).
 */
export type ReasoningFormat = 'none' | 'reasoning_effort' | 'openrouter' | 'thinking';

export const reasoningFormats: readonly ReasoningFormat[] = [
  'none',
  'reasoning_effort',
  'openrouter',
  'thinking',
];

export type ReasoningEffort = 'low' | 'medium' | 'high';

/** Budget → effort, with CCR's thresholds (`utils/thinking.ts`): ≤1024 low, ≤8192 medium. */
export function mapBudgetToEffort(budgetTokens: number): ReasoningEffort {
  if (budgetTokens <= 1024) return 'low';
  if (budgetTokens <= 8192) return 'medium';
  return 'high';
}

function adaptiveEffort(request: Record<string, unknown>): ReasoningEffort {
  const outputConfig = request.output_config as { effort?: unknown } | undefined;
  switch (outputConfig?.effort) {
    case 'low':
      return 'low';
    case 'medium':
      return 'medium';
    case 'high':
    case 'max':
      return 'high';
    default:
      return 'medium';
  }
}

/**
 * Anthropic `thinking` (+ Claude Code's `output_config.effort` for adaptive thinking) → the body
 * fields that switch reasoning on or off in the given format. Returns the fields to merge.
 */
export function mapThinkingToReasoning(
  request: Pick<MessagesRequest, 'thinking'> & Record<string, unknown>,
  format: ReasoningFormat,
): Record<string, unknown> {
  const thinking = request.thinking;
  if (!thinking || format === 'none') return {};
  if (thinking.type === 'disabled') {
    return format === 'thinking' ? { thinking: { type: 'disabled' }, enable_thinking: false } : {};
  }
  const budget = thinking.type === 'enabled' ? thinking.budget_tokens : undefined;
  const effort = budget === undefined ? adaptiveEffort(request) : mapBudgetToEffort(budget);
  switch (format) {
    case 'reasoning_effort':
      return { reasoning_effort: effort };
    case 'openrouter':
      return { reasoning: budget === undefined ? { effort } : { max_tokens: budget } };
    case 'thinking':
      return {
        thinking:
          budget === undefined ? { type: 'enabled' } : { type: 'enabled', budget_tokens: budget },
        enable_thinking: true,
      };
  }
}
