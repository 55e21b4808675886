import { describe, expect, it } from '@jest/globals';
import type { MessageStreamEvent } from '@conduit/core';
import { parseSSEJSON, readFixtureText } from '@conduit/test-utils';
import type { ChatCompletionChunk } from './chat-completions-api.js';
import { ChatCompletionStreamState, type ChatStreamFrame } from './chat-completion-stream-state.js';

function fixtureEvents(name: string): MessageStreamEvent[] {
  return parseSSEJSON(readFixtureText(name)).map(event => event.data as MessageStreamEvent);
}

function run(events: MessageStreamEvent[], includeUsage = true): ChatStreamFrame[] {
  const state = new ChatCompletionStreamState({ includeUsage, created: 1_700_000_000 });
  return [...events.flatMap(event => state.onEvent(event)), ...state.onEnd()];
}

describe('ChatCompletionStreamState', () => {
  it('turns the captured thinking + tool_use stream into chunks, usage and [DONE]', () => {
    const frames = run(fixtureEvents('cc-response-thinking-tool_use.sse'));
    expect(frames.at(-1)).toBe('[DONE]');
    const chunks = frames.filter(
      (frame): frame is ChatCompletionChunk => frame !== '[DONE]' && 'choices' in frame,
    );
    expect(chunks[0]).toMatchObject({
      id: 'chatcmpl-fake_663defda99e36cd3',
      object: 'chat.completion.chunk',
      created: 1_700_000_000,
      model: 'claude-opus-4-8',
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    });
    const deltas = chunks.flatMap(chunk => chunk.choices.map(choice => choice.delta));
    expect(deltas.map(delta => delta.reasoning_content ?? '').join('')).toBe(
      'The user wants something short. Keep it short.',
    );
    expect(deltas.map(delta => delta.content ?? '').join('')).toBe("I'll run that command.");
    const toolDeltas = deltas.flatMap(delta => delta.tool_calls ?? []);
    expect(toolDeltas[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'Bash' } });
    expect(toolDeltas[0]?.id).toMatch(/^toolu_/);
    expect(toolDeltas.length).toBeGreaterThan(2);
    expect(JSON.parse(toolDeltas.map(delta => delta.function.arguments).join(''))).toEqual({
      command: 'echo hello-from-fake-tool',
      description: 'Print a greeting',
    });
    const finish = chunks.find(chunk => chunk.choices[0]?.finish_reason);
    expect(finish?.choices[0]).toEqual({
      index: 0,
      delta: {},
      logprobs: null,
      finish_reason: 'tool_calls',
    });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 54 } });
  });

  it('leaves the usage chunk out unless stream_options.include_usage asked for it', () => {
    const frames = run(fixtureEvents('cc-response-text.sse'), false);
    expect(frames.some(frame => frame !== '[DONE]' && 'usage' in frame)).toBe(false);
  });

  it('counts cache reads and writes into prompt_tokens', () => {
    const frames = run([
      {
        type: 'message_start',
        message: {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model: 'm',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: {
            input_tokens: 10,
            output_tokens: 1,
            cache_read_input_tokens: 100,
            cache_creation_input_tokens: 5,
          },
        },
      },
      {
        type: 'message_delta',
        delta: { stop_reason: 'max_tokens', stop_sequence: null },
        usage: { output_tokens: 7 },
      },
      { type: 'message_stop' },
    ]);
    expect(frames.slice(-3, -1)).toMatchObject([
      { choices: [{ finish_reason: 'length' }] },
      {
        usage: {
          prompt_tokens: 115,
          completion_tokens: 7,
          total_tokens: 122,
          prompt_tokens_details: { cached_tokens: 100 },
        },
      },
    ]);
  });

  it('ends with an OpenAI error frame (no [DONE]) on an error event or a cut stream', () => {
    const events = fixtureEvents('cc-response-text.sse');
    const failed = run([
      ...events.slice(0, 3),
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    ]);
    expect(failed.at(-1)).toEqual({
      error: { message: 'Overloaded', type: 'server_error', param: null, code: 'overloaded' },
    });
    const cut = run(events.slice(0, 4));
    expect(cut.at(-1)).toMatchObject({ error: { type: 'server_error' } });
    expect(cut).not.toContain('[DONE]');
  });
});
