import { describe, expect, it } from '@jest/globals';
import { isOpenAIChatChunk, isOpenAIChatResponse } from './is-openai-chat-chunk.js';
import { openaiChatChunkSchema, openaiChatResponseSchema } from './openai-api.js';

const accepted: Record<string, unknown>[] = [
  {},
  { id: 'chatcmpl-1', model: 'deepseek-chat', choices: [] },
  { id: null, model: null, choices: null, usage: null },
  { choices: [{ delta: { content: 'hi' }, finish_reason: null }] },
  { choices: [{ delta: null, finish_reason: 'stop' }] },
  { choices: [{ finish_reason: 'stop' }] },
  { choices: [{ delta: { reasoning_content: 'think', reasoning: null, refusal: null } }] },
  {
    choices: [
      {
        delta: {
          tool_calls: [
            { index: 0, id: 'call_1', function: { name: 'Read', arguments: '{"a' } },
            { index: 1, function: null },
            { index: null, id: null },
          ],
        },
      },
    ],
  },
  {
    choices: [],
    usage: {
      prompt_tokens: 12,
      completion_tokens: 3,
      prompt_tokens_details: { cached_tokens: 2 },
      prompt_cache_hit_tokens: 1,
      vendor_extra: 'kept',
    },
  },
  { usage: { prompt_tokens_details: null } },
  { error: { message: 'boom' } },
  { extra: [1, 2, 3], choices: [{ delta: { extra: true }, logprobs: null }] },
];

const rejected: Record<string, unknown>[] = [
  { id: 7 },
  { model: {} },
  { choices: {} },
  { choices: [null] },
  { choices: [[]] },
  { choices: [{ delta: 'text' }] },
  { choices: [{ delta: [] }] },
  { choices: [{ finish_reason: 1 }] },
  { choices: [{ delta: { content: 5 } }] },
  { choices: [{ delta: { reasoning: {} } }] },
  { choices: [{ delta: { tool_calls: {} } }] },
  { choices: [{ delta: { tool_calls: [null] } }] },
  { choices: [{ delta: { tool_calls: [{ index: '0' }] } }] },
  { choices: [{ delta: { tool_calls: [{ function: { arguments: {} } }] } }] },
  { choices: [{ delta: { tool_calls: [{ function: 'Read' }] } }] },
  { usage: 5 },
  { usage: [] },
  { usage: { prompt_tokens: '12' } },
  { usage: { completion_tokens: Number.POSITIVE_INFINITY } },
  { usage: { prompt_tokens_details: { cached_tokens: 'x' } } },
  { usage: { prompt_tokens_details: [] } },
  // A hole is `undefined` to the schema, which wants an object there.
  { choices: Array.from({ length: 2 }).map((_, index) => (index === 0 ? {} : undefined)) },
];

describe('isOpenAIChatChunk', () => {
  it.each(accepted.map(payload => [JSON.stringify(payload), payload]))(
    'accepts what the schema accepts: %s',
    (_name, payload) => {
      expect(openaiChatChunkSchema.safeParse(payload).success).toBe(true);
      expect(isOpenAIChatChunk(payload as Record<string, unknown>)).toBe(true);
    },
  );

  it.each(rejected.map(payload => [JSON.stringify(payload), payload]))(
    'rejects what the schema rejects: %s',
    (_name, payload) => {
      expect(openaiChatChunkSchema.safeParse(payload).success).toBe(false);
      expect(isOpenAIChatChunk(payload as Record<string, unknown>)).toBe(false);
    },
  );

  it('rejects a sparse array the schema rejects too', () => {
    const choices: unknown[] = [];
    choices[1] = {};
    expect(openaiChatChunkSchema.safeParse({ choices }).success).toBe(false);
    expect(isOpenAIChatChunk({ choices })).toBe(false);
  });
});

const acceptedResponses: unknown[] = [
  { choices: [] },
  {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    model: 'mock-model',
    choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 },
  },
  { id: null, model: null, choices: [{ message: {} }], usage: null },
  {
    choices: [
      {
        message: {
          content: null,
          reasoning_content: 'think',
          reasoning: null,
          refusal: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'Read', arguments: '{}' } },
            { id: null, type: null, function: { name: null, arguments: null } },
            { function: {} },
          ],
        },
        finish_reason: null,
        logprobs: null,
      },
    ],
    usage: { prompt_tokens_details: { cached_tokens: 3 }, prompt_cache_hit_tokens: 2 },
  },
];

const rejectedResponses: unknown[] = [
  null,
  [],
  'text',
  {},
  { choices: null },
  { choices: {} },
  { id: 7, choices: [] },
  { model: {}, choices: [] },
  { choices: [null] },
  { choices: [{}] },
  { choices: [{ message: 'hi' }] },
  { choices: [{ message: [] }] },
  { choices: [{ message: {}, finish_reason: 1 }] },
  { choices: [{ message: { content: 5 } }] },
  { choices: [{ message: { refusal: {} } }] },
  { choices: [{ message: { tool_calls: {} } }] },
  { choices: [{ message: { tool_calls: [null] } }] },
  { choices: [{ message: { tool_calls: [{ function: null }] } }] },
  { choices: [{ message: { tool_calls: [{ id: 1, function: {} }] } }] },
  { choices: [{ message: { tool_calls: [{ function: { arguments: 5 } }] } }] },
  { choices: [], usage: 5 },
  { choices: [], usage: { prompt_tokens: '9' } },
  { choices: [], usage: { completion_tokens: Number.NaN } },
];

describe('isOpenAIChatResponse', () => {
  it.each(acceptedResponses.map(payload => [JSON.stringify(payload), payload]))(
    'accepts what the schema accepts: %s',
    (_name, payload) => {
      expect(openaiChatResponseSchema.safeParse(payload).success).toBe(true);
      expect(isOpenAIChatResponse(payload)).toBe(true);
    },
  );

  it.each(rejectedResponses.map(payload => [JSON.stringify(payload), payload]))(
    'rejects what the schema rejects: %s',
    (_name, payload) => {
      expect(openaiChatResponseSchema.safeParse(payload).success).toBe(false);
      expect(isOpenAIChatResponse(payload)).toBe(false);
    },
  );

  it('leaves tool arguments given as an object to the schema, which accepts them', () => {
    const payload = {
      choices: [{ message: { tool_calls: [{ function: { name: 'Read', arguments: { a: 1 } } }] } }],
    };
    expect(openaiChatResponseSchema.safeParse(payload).success).toBe(true);
    expect(isOpenAIChatResponse(payload)).toBe(false);
  });
});
