import { describe, expect, it } from '@jest/globals';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';

describe('mapOpenAIFinishReason', () => {
  it.each([
    ['stop', false, 'end_turn'],
    ['length', false, 'max_tokens'],
    ['tool_calls', true, 'tool_use'],
    ['function_call', true, 'tool_use'],
    ['content_filter', false, 'refusal'],
    ['stop', true, 'tool_use'],
    [null, false, 'end_turn'],
    [undefined, true, 'tool_use'],
    ['eos', false, 'end_turn'],
  ] as const)('%s (tool calls: %s) → %s', (reason, hasToolCalls, expected) => {
    expect(mapOpenAIFinishReason(reason, hasToolCalls)).toBe(expected);
  });
});
