import type { MessageStreamEvent } from '@conduit/core';
import { describe, expect, it } from '@jest/globals';
import { AnthropicStreamBuilder, incompleteStreamMessage } from './anthropic-stream-builder.js';
import { conduitThinkingSignature } from './response-ids.js';

const options = { model: 'test-model', estimatedInputTokens: 12 };

function summarize(events: MessageStreamEvent[]): string[] {
  return events.map(event => {
    if (event.type === 'content_block_start')
      return `start ${event.index} ${event.content_block.type}`;
    if (event.type === 'content_block_delta') return `delta ${event.index} ${event.delta.type}`;
    if (event.type === 'content_block_stop') return `stop ${event.index}`;
    return event.type;
  });
}

describe('AnthropicStreamBuilder', () => {
  it('emits one message with increasing block indexes, one ping and signed thinking', () => {
    const builder = new AnthropicStreamBuilder(options);
    const events: MessageStreamEvent[] = [];
    builder.start(events, 'upstream-1');
    builder.start(events, 'ignored');
    builder.appendThinking(events, 'hmm');
    builder.appendText(events, 'Hi');
    builder.appendText(events, ' there');
    const toolIndex = builder.startToolUse(events, 'call_1', 'Bash');
    builder.appendToolInput(events, toolIndex, '{"a":1}');
    builder.addCompleteBlock(events, { type: 'redacted_thinking', data: 'x' });
    builder.finish(events, 'tool_use');
    expect(summarize(events)).toEqual([
      'message_start',
      'start 0 thinking',
      'ping',
      'delta 0 thinking_delta',
      'delta 0 signature_delta',
      'stop 0',
      'start 1 text',
      'delta 1 text_delta',
      'delta 1 text_delta',
      'stop 1',
      'start 2 tool_use',
      'delta 2 input_json_delta',
      'stop 2',
      'start 3 redacted_thinking',
      'stop 3',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0]).toMatchObject({ message: { id: 'msg_upstream-1', model: 'test-model' } });
    expect(events[4]).toMatchObject({ delta: { signature: conduitThinkingSignature } });
    expect(builder.isFinished).toBe(true);
  });

  it('closes thinking with the given signature, else the recorded one', () => {
    const builder = new AnthropicStreamBuilder(options);
    const events: MessageStreamEvent[] = [];
    builder.startThinking(events);
    builder.setSignature('recorded');
    builder.closeBlock(events);
    builder.startThinking(events);
    builder.setSignature('recorded');
    builder.closeBlock(events, 'given');
    const signatures = events.flatMap(event =>
      event.type === 'content_block_delta' && event.delta.type === 'signature_delta'
        ? [event.delta.signature]
        : [],
    );
    expect(signatures).toEqual(['recorded', 'given']);
    expect(builder.openKind).toBeUndefined();
  });

  it('estimates usage from counted output unless the upstream reported it', () => {
    const builder = new AnthropicStreamBuilder(options);
    builder.countOutput(9);
    expect(builder.getOutcome()).toEqual({
      usage: {
        input_tokens: 12,
        output_tokens: 3,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
      usageEstimated: true,
      stopReason: null,
    });
    const usage = {
      input_tokens: 5,
      output_tokens: 7,
      cache_creation_input_tokens: 1,
      cache_read_input_tokens: 2,
    };
    builder.setUpstreamUsage(usage);
    const events = builder.finish([], 'end_turn');
    expect(events.at(-2)).toMatchObject({ type: 'message_delta', usage });
    expect(builder.getOutcome()).toEqual({ usage, usageEstimated: false, stopReason: 'end_turn' });
  });

  it('fails once, with the incomplete-stream message by default', () => {
    const builder = new AnthropicStreamBuilder(options);
    expect(builder.failIncomplete(undefined)).toEqual([
      { type: 'error', error: { type: 'api_error', message: incompleteStreamMessage } },
    ]);
    expect(builder.fail('overloaded_error', 'again')).toEqual([]);
    expect(builder.getOutcome()).toMatchObject({ stopReason: null, errorType: 'api_error' });
  });
});
