import { describe, expect, it } from '@jest/globals';
import type { MessageStreamEvent } from '@conduit/core';
import { parseSSEJSON, readFixtureText } from '@conduit/test-utils';
import { convertResponsesToMessagesRequest } from './convert-responses-to-messages-request.js';
import {
  type ResponseObject,
  type ResponsesOutputItemOut,
  responsesCreateRequestSchema,
} from './responses-inbound-api.js';
import { encodeResponsesStreamEvent } from './responses-stream-events.js';
import { ResponsesStreamState } from './responses-stream-state.js';

function fixtureEvents(name: string): MessageStreamEvent[] {
  return parseSSEJSON(readFixtureText(name)).map(event => event.data as MessageStreamEvent);
}

function run(events: MessageStreamEvent[], customToolNames: string[] = []) {
  const state = new ResponsesStreamState({
    body: { model: 'gpt-test', input: 'hi', instructions: 'Be brief.' },
    customToolNames: new Set(customToolNames),
    createdAt: 1_700_000_000,
  });
  return [...events.flatMap(event => state.onEvent(event)), ...state.onEnd()];
}

describe('ResponsesStreamState', () => {
  it('turns the captured thinking + tool_use stream into Responses events', () => {
    const events = run(fixtureEvents('cc-response-thinking-tool_use.sse'));
    expect(events.map(event => event.sequence_number)).toEqual(events.map((_, index) => index));
    const types = events.map(event => event.type);
    expect(types.slice(0, 4)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
    ]);
    expect(types).toContain('response.output_text.delta');
    expect(
      types.filter(type => type === 'response.function_call_arguments.delta').length,
    ).toBeGreaterThan(1);
    expect(types.at(-1)).toBe('response.completed');
    const completed = events.at(-1)?.response as ResponseObject;
    expect(completed).toMatchObject({
      id: 'resp_fake_663defda99e36cd3',
      object: 'response',
      status: 'completed',
      instructions: 'Be brief.',
      model: 'claude-opus-4-8',
      output_text: "I'll run that command.",
      usage: { input_tokens: 54 },
    });
    expect(completed.output.map(item => item.type)).toEqual([
      'reasoning',
      'message',
      'function_call',
    ]);
    const call = completed.output.find(
      (item): item is Extract<ResponsesOutputItemOut, { type: 'function_call' }> =>
        item.type === 'function_call',
    );
    if (!call) throw new Error('no function_call item');
    expect(call).toMatchObject({ name: 'Bash', status: 'completed' });
    expect(JSON.parse(call.arguments)).toEqual({
      command: 'echo hello-from-fake-tool',
      description: 'Print a greeting',
    });
    const done = events.find(event => event.type === 'response.function_call_arguments.done');
    expect(done?.arguments).toBe(call.arguments);
  });

  it('sends a custom tool call with its free-form input whole', () => {
    const events = run(
      fixtureEvents('cc-response-thinking-tool_use.sse').map(event =>
        event.type === 'content_block_start' && event.content_block.type === 'tool_use'
          ? { ...event, content_block: { ...event.content_block, name: 'apply_patch' } }
          : event,
      ),
      ['apply_patch'],
    );
    expect(events.some(event => event.type === 'response.function_call_arguments.delta')).toBe(
      false,
    );
    const item = events.find(
      event =>
        event.type === 'response.output_item.done' &&
        (event.item as { type?: string }).type === 'custom_tool_call',
    );
    expect(item?.item).toMatchObject({ name: 'apply_patch', status: 'completed' });
    expect(typeof (item?.item as { input?: unknown } | undefined)?.input).toBe('string');
  });

  it('reports max_tokens as an incomplete response', () => {
    const events = run(
      fixtureEvents('cc-response-text.sse').map(event =>
        event.type === 'message_delta'
          ? { ...event, delta: { stop_reason: 'max_tokens', stop_sequence: null } }
          : event,
      ),
    );
    expect(events.at(-1)).toMatchObject({
      type: 'response.incomplete',
      response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } },
    });
  });

  it('ends a cut stream with error and response.failed', () => {
    const events = run(fixtureEvents('cc-response-text.sse').slice(0, 4));
    expect(events.slice(-2).map(event => event.type)).toEqual(['error', 'response.failed']);
    expect(events.at(-1)?.response).toMatchObject({
      status: 'failed',
      error: { code: 'server_error' },
    });
    expect(encodeResponsesStreamEvent(events.at(-1) as never)).toMatch(
      /^event: response\.failed\ndata: \{/,
    );
  });
});

describe('reasoning round trip', () => {
  it('carries the thinking text and signature in encrypted_content, back into a thinking block', () => {
    const events = run(fixtureEvents('cc-response-thinking-tool_use.sse'));
    const completed = events.at(-1)?.response as ResponseObject;
    const reasoning = completed.output.find(item => item.type === 'reasoning');
    expect(reasoning?.type === 'reasoning' && reasoning.encrypted_content).toMatch(
      /^conduit-thinking:v1:/,
    );
    const next = convertResponsesToMessagesRequest(
      responsesCreateRequestSchema.parse({
        model: 'm',
        input: [
          { role: 'user', content: 'go' },
          ...completed.output.filter(item => item.type !== 'message'),
          {
            type: 'function_call_output',
            call_id: (completed.output[2] as { call_id: string }).call_id,
            output: 'ok',
          },
        ],
      }),
    );
    expect(next.request.messages[1]?.content).toMatchObject([
      {
        type: 'thinking',
        thinking: 'The user wants something short. Keep it short.',
        signature: 'fake-signature-rAUKROKvT9EBTkOG',
      },
      { type: 'tool_use', name: 'Bash' },
    ]);
  });
});
