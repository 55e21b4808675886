import { describe, expect, it } from '@jest/globals';
import { conduitThinkingSignature } from '../common/response-ids.js';
import { convertOpenAIResponse } from './convert-openai-response.js';
import type { OpenAIChatResponse } from './openai-api.js';

const usage = { prompt_tokens: 10, completion_tokens: 4 };

describe('convertOpenAIResponse', () => {
  it.each<[string, OpenAIChatResponse, Record<string, unknown>]>([
    [
      'text',
      {
        id: 'chatcmpl-1',
        choices: [{ message: { content: 'Hello' }, finish_reason: 'stop' }],
        usage,
      },
      { content: [{ type: 'text', text: 'Hello' }], stop_reason: 'end_turn' },
    ],
    [
      'reasoning first, then text',
      {
        choices: [
          { message: { content: 'Answer', reasoning_content: 'Think' }, finish_reason: 'stop' },
        ],
        usage,
      },
      {
        content: [
          { type: 'thinking', thinking: 'Think', signature: conduitThinkingSignature },
          { type: 'text', text: 'Answer' },
        ],
        stop_reason: 'end_turn',
      },
    ],
    [
      'OpenRouter reasoning field',
      { choices: [{ message: { content: 'A', reasoning: 'R' }, finish_reason: 'length' }], usage },
      {
        content: [
          { type: 'thinking', thinking: 'R', signature: conduitThinkingSignature },
          { type: 'text', text: 'A' },
        ],
        stop_reason: 'max_tokens',
      },
    ],
    [
      'parallel tool calls, repaired arguments, sanitized id',
      {
        choices: [
          {
            message: {
              content: null,
              tool_calls: [
                {
                  id: 'call_1',
                  type: 'function',
                  function: { name: 'Bash', arguments: '{"command":"ls"}' },
                },
                {
                  id: 'functions.Read:1',
                  type: 'function',
                  function: { name: 'Read', arguments: "{'path': 'a',}" },
                },
              ],
            },
            finish_reason: 'tool_calls',
          },
        ],
        usage,
      },
      {
        content: [
          { type: 'tool_use', id: 'call_1', name: 'Bash', input: { command: 'ls' } },
          { type: 'tool_use', id: 'functions_Read_1', name: 'Read', input: { path: 'a' } },
        ],
        stop_reason: 'tool_use',
      },
    ],
    [
      'content filter → refusal',
      { choices: [{ message: { content: '' }, finish_reason: 'content_filter' }], usage },
      { content: [{ type: 'text', text: '' }], stop_reason: 'refusal' },
    ],
  ])('%s', (_name, response, expected) => {
    const { message } = convertOpenAIResponse(response, { model: 'm' });
    expect(message).toMatchObject({ type: 'message', role: 'assistant', model: 'm', ...expected });
    expect(message.id).toMatch(/^msg_/);
  });

  it('reports usage in Anthropic meaning', () => {
    const result = convertOpenAIResponse(
      {
        choices: [{ message: { content: 'x' }, finish_reason: 'stop' }],
        usage: {
          prompt_tokens: 100,
          completion_tokens: 7,
          prompt_tokens_details: { cached_tokens: 80 },
        },
      },
      { model: 'm' },
    );
    expect(result.usageEstimated).toBe(false);
    expect(result.message.usage).toEqual({
      input_tokens: 20,
      output_tokens: 7,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 80,
    });
  });

  it('estimates usage when the vendor reports none', () => {
    const result = convertOpenAIResponse(
      { choices: [{ message: { content: 'abcdefgh' }, finish_reason: 'stop' }] },
      { model: 'm', estimatedInputTokens: 42 },
    );
    expect(result.usageEstimated).toBe(true);
    expect(result.usage).toMatchObject({ input_tokens: 42, output_tokens: 2 });
  });

  it('warns when tool arguments cannot be repaired', () => {
    const result = convertOpenAIResponse(
      {
        choices: [
          {
            message: { tool_calls: [{ id: 'c', function: { name: 'X', arguments: '[1, 2]' } }] },
            finish_reason: 'tool_calls',
          },
        ],
        usage,
      },
      { model: 'm' },
    );
    expect(result.message.content).toEqual([{ type: 'tool_use', id: 'c', name: 'X', input: {} }]);
    expect(result.warnings).toHaveLength(1);
  });
});
