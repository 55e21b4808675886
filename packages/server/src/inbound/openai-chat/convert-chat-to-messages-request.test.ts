import { describe, expect, it } from '@jest/globals';
import { InvalidRequestError } from '@conduit/core';
import { convertToOpenAIRequest } from '../../providers/openai/convert-to-openai-request.js';
import { readOpenAIClientFields } from '../../providers/openai/openai-client-fields.js';
import { chatCompletionRequestSchema } from './chat-completions-api.js';
import { convertChatToMessagesRequest } from './convert-chat-to-messages-request.js';

const convert = (body: Record<string, unknown>) =>
  convertChatToMessagesRequest(chatCompletionRequestSchema.parse(body));

describe('convertChatToMessagesRequest', () => {
  it('maps a whole agent turn into a Messages request', () => {
    const converted = convert({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'developer', content: [{ type: 'text', text: 'Use tools.' }] },
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_a',
              type: 'function',
              function: { name: 'weather', arguments: '{"city":"Paris"}' },
            },
            {
              id: 'call:b',
              type: 'function',
              function: { name: 'weather', arguments: "{city:'Rome',}" },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_a', content: 'sunny' },
        { role: 'tool', tool_call_id: 'call:b', content: [{ type: 'text', text: 'rain' }] },
        { role: 'user', content: 'And tomorrow?' },
        { role: 'system', content: 'Reminder: be brief.' },
      ],
      tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object' } } }],
      tool_choice: { type: 'function', function: { name: 'weather' } },
      parallel_tool_calls: false,
      max_tokens: 300,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['STOP', ''],
      user: 'user-1',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(converted.stream).toBe(true);
    expect(converted.includeUsage).toBe(true);
    // JSON: what any upstream sees (the client's own fields ride under a symbol).
    expect(JSON.parse(JSON.stringify(converted.request))).toEqual({
      model: 'gpt-4o',
      system: 'You are terse.\n\nUse tools.',
      max_tokens: 300,
      temperature: 0.2,
      top_p: 0.9,
      stop_sequences: ['STOP'],
      metadata: { user_id: 'user-1' },
      stream: true,
      tools: [{ name: 'weather', input_schema: { type: 'object' } }],
      tool_choice: { type: 'tool', name: 'weather', disable_parallel_tool_use: true },
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Rome?' }] },
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: 'call_a', name: 'weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'call_b', name: 'weather', input: { city: 'Rome' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_a', content: 'sunny' },
            { type: 'tool_result', tool_use_id: 'call_b', content: 'rain' },
            { type: 'text', text: 'And tomorrow?' },
          ],
        },
        { role: 'system', content: 'Reminder: be brief.' },
      ],
    });
  });

  it.each([
    ['low', 1024],
    ['medium', 8192],
    ['high', 16384],
  ])('maps reasoning_effort %s to a %i-token thinking budget', (effort, budget) => {
    const { request } = convert({
      model: 'o3',
      messages: [{ role: 'user', content: 'think' }],
      reasoning_effort: effort,
    });
    expect(request.thinking).toEqual({ type: 'enabled', budget_tokens: budget });
    expect(request.max_tokens).toBeGreaterThan(budget);
  });

  it('caps the budget by max_completion_tokens and drops thinking that would not fit', () => {
    const capped = convert({
      model: 'o3',
      messages: [{ role: 'user', content: 'x' }],
      reasoning_effort: 'high',
      max_completion_tokens: 4000,
    });
    expect(capped.request).toMatchObject({
      max_tokens: 4000,
      thinking: { type: 'enabled', budget_tokens: 3999 },
    });
    const tiny = convert({
      model: 'o3',
      messages: [{ role: 'user', content: 'x' }],
      reasoning_effort: 'low',
      max_completion_tokens: 500,
    });
    expect(tiny.request.thinking).toBeUndefined();
    expect(
      convert({
        model: 'o3',
        messages: [{ role: 'user', content: 'x' }],
        reasoning_effort: 'minimal',
      }).request.thinking,
    ).toBeUndefined();
  });

  it('keeps the fields it does not map for OpenAI-compatible upstreams, out of the JSON', () => {
    const { request } = convert({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x' }],
      seed: 3,
      logprobs: true,
      response_format: { type: 'json_object' },
      max_completion_tokens: 50,
    });
    expect(readOpenAIClientFields(request)).toEqual({
      seed: 3,
      logprobs: true,
      response_format: { type: 'json_object' },
      max_completion_tokens: 50,
    });
    expect(JSON.parse(JSON.stringify(request))).not.toHaveProperty('seed');
    expect(request.system).toMatch(/JSON object/);
  });

  it('keeps echoed reasoning_content for OpenAI upstreams only, never as an unsigned thinking block', () => {
    const { request } = convert({
      model: 'deepseek-reasoner',
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: 'y', reasoning_content: 'because' },
        { role: 'user', content: 'z' },
      ],
    });
    expect(JSON.parse(JSON.stringify(request.messages[1]))).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: 'y' }],
    });
    const { body } = convertToOpenAIRequest(request, 'deepseek-reasoner');
    expect(body.messages[1]).toEqual({
      role: 'assistant',
      content: 'y',
      reasoning_content: 'because',
    });
  });

  it.each([
    [{ n: 2 }, 'n'],
    [{ messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id'],
    [
      {
        messages: [
          { role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x' } }] },
        ],
      },
      'messages[0].content[0].image_url.url',
    ],
    [
      { messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] },
      'messages[0].content[0]',
    ],
  ])('rejects %j with a 400 naming %s', (patch, field) => {
    const body = { model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], ...patch };
    let caught: unknown;
    try {
      convert(body);
    } catch (error) {
      caught = error;
    }
    expect(InvalidRequestError.isInstance(caught)).toBe(true);
    expect((caught as InvalidRequestError).field).toBe(field);
  });
});
