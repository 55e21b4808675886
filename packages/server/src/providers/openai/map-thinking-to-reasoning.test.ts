import { describe, expect, it } from '@jest/globals';
import {
  type ReasoningFormat,
  mapBudgetToEffort,
  mapThinkingToReasoning,
} from './map-thinking-to-reasoning.js';

const enabled = (budget: number) => ({
  thinking: { type: 'enabled' as const, budget_tokens: budget },
});
const adaptive = { thinking: { type: 'adaptive' as const }, output_config: { effort: 'high' } };
const disabled = { thinking: { type: 'disabled' as const } };

describe('mapThinkingToReasoning', () => {
  it.each<[string, Record<string, unknown>, ReasoningFormat, Record<string, unknown>]>([
    ['no thinking', {}, 'reasoning_effort', {}],
    ['format none', enabled(4000), 'none', {}],
    ['budget → effort', enabled(4000), 'reasoning_effort', { reasoning_effort: 'medium' }],
    [
      'adaptive uses output_config.effort',
      adaptive,
      'reasoning_effort',
      { reasoning_effort: 'high' },
    ],
    [
      'adaptive without effort → medium',
      { thinking: { type: 'adaptive' } },
      'reasoning_effort',
      { reasoning_effort: 'medium' },
    ],
    ['openrouter budget', enabled(31999), 'openrouter', { reasoning: { max_tokens: 31999 } }],
    ['openrouter adaptive', adaptive, 'openrouter', { reasoning: { effort: 'high' } }],
    [
      'thinking format (CCR)',
      enabled(1024),
      'thinking',
      { thinking: { type: 'enabled', budget_tokens: 1024 }, enable_thinking: true },
    ],
    [
      'thinking format adaptive',
      adaptive,
      'thinking',
      { thinking: { type: 'enabled' }, enable_thinking: true },
    ],
    [
      'disabled in thinking format',
      disabled,
      'thinking',
      { thinking: { type: 'disabled' }, enable_thinking: false },
    ],
    ['disabled elsewhere sends nothing', disabled, 'reasoning_effort', {}],
  ])('%s', (_name, request, format, expected) => {
    expect(mapThinkingToReasoning(request, format)).toEqual(expected);
  });

  it.each([
    [1, 'low'],
    [1024, 'low'],
    [1025, 'medium'],
    [8192, 'medium'],
    [8193, 'high'],
  ] as const)('budget %d → %s', (budget, effort) => {
    expect(mapBudgetToEffort(budget)).toBe(effort);
  });
});
