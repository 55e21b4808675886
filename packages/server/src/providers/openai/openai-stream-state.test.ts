import { describe, expect, it } from '@jest/globals';
import type { MessageStreamEvent } from '@conduit/core';
import { conduitThinkingSignature } from '../common/response-ids.js';
import type { OpenAIChatChunk } from './openai-api.js';
import { OpenAIStreamState } from './openai-stream-state.js';

function run(chunks: OpenAIChatChunk[], sawDone = true) {
  const state = new OpenAIStreamState({ model: 'deepseek-chat', estimatedInputTokens: 12 });
  const events: MessageStreamEvent[] = [];
  for (const chunk of chunks) events.push(...state.push(chunk));
  events.push(...state.end(sawDone));
  return { events, state };
}

const delta = (
  value: Record<string, unknown>,
  finish_reason: string | null = null,
): OpenAIChatChunk => ({
  id: 'chatcmpl-7',
  choices: [{ delta: value, finish_reason }],
});

function summarize(events: MessageStreamEvent[]): string[] {
  return events.map(event => {
    switch (event.type) {
      case 'content_block_start':
        return `start ${event.index} ${event.content_block.type}`;
      case 'content_block_delta': {
        const payload =
          event.delta.type === 'text_delta'
            ? event.delta.text
            : event.delta.type === 'thinking_delta'
              ? event.delta.thinking
              : event.delta.type === 'signature_delta'
                ? event.delta.signature
                : event.delta.partial_json;
        return `delta ${event.index} ${event.delta.type} ${payload}`;
      }
      case 'content_block_stop':
        return `stop ${event.index}`;
      case 'message_delta':
        return `message_delta ${event.delta.stop_reason}`;
      default:
        return event.type;
    }
  });
}

describe('OpenAIStreamState', () => {
  it('translates a text stream in the SDK order', () => {
    const { events } = run([
      delta({ role: 'assistant', content: '' }),
      delta({ content: 'Hel' }),
      delta({ content: 'lo' }),
      delta({}, 'stop'),
      { id: 'chatcmpl-7', choices: [], usage: { prompt_tokens: 9, completion_tokens: 2 } },
    ]);
    expect(summarize(events)).toEqual([
      'message_start',
      'start 0 text',
      'ping',
      'delta 0 text_delta Hel',
      'delta 0 text_delta lo',
      'stop 0',
      'message_delta end_turn',
      'message_stop',
    ]);
    expect(events[0]).toMatchObject({
      type: 'message_start',
      message: {
        id: 'msg_chatcmpl-7',
        model: 'deepseek-chat',
        usage: { input_tokens: 12, output_tokens: 0 },
      },
    });
    expect(events.at(-2)).toMatchObject({
      usage: { input_tokens: 9, output_tokens: 2, cache_read_input_tokens: 0 },
    });
  });

  it('puts reasoning in a signed thinking block before the text', () => {
    const { events } = run([
      delta({ reasoning_content: 'Let me ' }),
      delta({ reasoning_content: 'think.' }),
      delta({ content: 'Done.' }, 'stop'),
    ]);
    expect(summarize(events)).toEqual([
      'message_start',
      'start 0 thinking',
      'ping',
      'delta 0 thinking_delta Let me ',
      'delta 0 thinking_delta think.',
      `delta 0 signature_delta ${conduitThinkingSignature}`,
      'stop 0',
      'start 1 text',
      'delta 1 text_delta Done.',
      'stop 1',
      'message_delta end_turn',
      'message_stop',
    ]);
  });

  it('streams parallel tool calls whose arguments are split over many deltas', () => {
    const { events, state } = run([
      delta({ content: 'Two calls.' }),
      delta({
        tool_calls: [
          { index: 0, id: 'call_a', type: 'function', function: { name: 'Bash', arguments: '' } },
        ],
      }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '{"comm' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: 'and":"ls"}' } }] }),
      delta({
        tool_calls: [
          {
            index: 1,
            id: 'call_b',
            type: 'function',
            function: { name: 'Read', arguments: '{"path"' },
          },
        ],
      }),
      delta({ tool_calls: [{ index: 1, function: { arguments: ':"a"}' } }] }, 'tool_calls'),
    ]);
    expect(summarize(events)).toEqual([
      'message_start',
      'start 0 text',
      'ping',
      'delta 0 text_delta Two calls.',
      'stop 0',
      'start 1 tool_use',
      'delta 1 input_json_delta ',
      'delta 1 input_json_delta {"comm',
      'delta 1 input_json_delta and":"ls"}',
      'stop 1',
      'start 2 tool_use',
      'delta 2 input_json_delta ',
      'delta 2 input_json_delta {"path"',
      'delta 2 input_json_delta :"a"}',
      'stop 2',
      'message_delta tool_use',
      'message_stop',
    ]);
    expect(events[5]).toMatchObject({
      content_block: { type: 'tool_use', id: 'call_a', name: 'Bash', input: {} },
    });
    expect(state.getOutcome()).toMatchObject({ stopReason: 'tool_use', usageEstimated: true });
  });

  it('treats a new id on a reused index as a new call, and late names as pending', () => {
    const { events } = run([
      delta({ tool_calls: [{ index: 0, id: 'a', function: { name: 'X', arguments: '{}' } }] }),
      delta({ tool_calls: [{ index: 0, id: 'b', function: { arguments: '{"k"' } }] }),
      delta({ tool_calls: [{ index: 0, function: { name: 'Y', arguments: ':1}' } }] }, 'stop'),
    ]);
    const starts = events.filter(event => event.type === 'content_block_start');
    expect(starts.map(event => event.content_block)).toEqual([
      { type: 'tool_use', id: 'a', name: 'X', input: {} },
      { type: 'tool_use', id: 'b', name: 'Y', input: {} },
    ]);
    expect(summarize(events)).toContain('delta 1 input_json_delta {"k":1}');
    expect(summarize(events)).toContain('message_delta tool_use');
  });

  it.each([
    ['length', 'max_tokens'],
    ['content_filter', 'refusal'],
  ])('maps finish reason %s to %s', (finishReason, stopReason) => {
    const { events } = run([delta({ content: 'x' }, finishReason)]);
    expect(summarize(events)).toContain(`message_delta ${stopReason}`);
  });

  it('ends a cut stream with an error event instead of message_stop', () => {
    const { events, state } = run([delta({ content: 'partial' })], false);
    expect(events.at(-1)).toEqual({
      type: 'error',
      error: {
        type: 'api_error',
        message: 'The upstream stream ended before the response was complete.',
      },
    });
    expect(state.getOutcome()).toMatchObject({ errorType: 'api_error', stopReason: null });
  });

  it('turns an in-stream error payload into an error event and ignores the rest', () => {
    const state = new OpenAIStreamState({ model: 'm', estimatedInputTokens: 0 });
    const first = state.push(delta({ content: 'a' }));
    const failed = state.push({ error: { message: 'rate limited' } });
    expect(first.map(event => event.type)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
    ]);
    expect(failed).toEqual([
      { type: 'error', error: { type: 'api_error', message: 'Upstream error: rate limited' } },
    ]);
    expect(state.end(true)).toEqual([]);
  });

  it('answers an empty stream with an empty message', () => {
    const { events } = run([], true);
    expect(summarize(events)).toEqual(['message_start', 'message_delta end_turn', 'message_stop']);
  });
});
