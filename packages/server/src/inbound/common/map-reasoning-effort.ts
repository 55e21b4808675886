import type { ThinkingConfig } from '@conduit/core';

/**
 * OpenAI `reasoning_effort` → an Anthropic thinking budget. The budgets sit inside the bands of
 * `mapBudgetToEffort` (≤1024 low, ≤8192 medium, above high), so effort → budget → effort is stable
 * when an OpenAI-compatible upstream gets the request back. `minimal` and `none` switch thinking off.
 */
export const reasoningEffortBudgets: Readonly<Record<string, number>> = {
  low: 1024,
  medium: 8192,
  high: 16384,
  xhigh: 32768,
};

/** Anthropic's smallest allowed `budget_tokens`. */
const minimumBudget = 1024;

/**
 * The thinking config and the `max_tokens` to send for a requested effort. Anthropic counts the
 * budget inside `max_tokens` (as OpenAI counts reasoning inside `max_completion_tokens`), so an
 * explicit limit caps the budget and, without one, room for the answer is added to the budget.
 */
export function mapReasoningEffort(
  effort: string | null | undefined,
  maxTokens: number | undefined,
  defaultMaxTokens: number,
): { thinking?: ThinkingConfig; maxTokens: number } {
  const budget = effort ? reasoningEffortBudgets[effort] : undefined;
  if (budget === undefined) return { maxTokens: maxTokens ?? defaultMaxTokens };
  if (maxTokens === undefined) {
    return {
      thinking: { type: 'enabled', budget_tokens: budget },
      maxTokens: budget + defaultMaxTokens,
    };
  }
  const capped = Math.min(budget, maxTokens - 1);
  if (capped < minimumBudget) return { maxTokens };
  return { thinking: { type: 'enabled', budget_tokens: capped }, maxTokens };
}
