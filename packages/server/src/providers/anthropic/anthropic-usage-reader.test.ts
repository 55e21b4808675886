import { describe, expect, it } from '@jest/globals';
import { AnthropicUsageReader, tapAnthropicEventStream } from './anthropic-usage-reader.js';

const encoder = new TextEncoder();

const frame = (type: string, data: Record<string, unknown>) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

const streamText = [
  frame('message_start', {
    message: { id: 'msg_1', usage: { input_tokens: 40, output_tokens: 1 } },
  }),
  frame('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
  frame('ping', {}),
  frame('content_block_delta', {
    index: 0,
    delta: { type: 'text_delta', text: 'a message_delta with an error in it' },
  }),
  frame('content_block_stop', { index: 0 }),
  frame('message_delta', {
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: 9, cache_read_input_tokens: 5 },
  }),
  frame('message_stop', {}),
].join('');

function sourceOf(chunks: Uint8Array[], failWith?: Error): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index++];
      if (chunk) controller.enqueue(chunk);
      else if (failWith) controller.error(failWith);
      else controller.close();
    },
  });
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return chunks;
}

describe('tapAnthropicEventStream', () => {
  it('passes the very same chunks through and reads usage and the stop reason', async () => {
    const bytes = encoder.encode(streamText);
    const chunks = [bytes.subarray(0, 50), bytes.subarray(50, 333), bytes.subarray(333)];
    const reader = new AnthropicUsageReader(100);
    const output = await readAll(tapAnthropicEventStream(sourceOf(chunks), reader));
    expect(output).toHaveLength(3);
    for (const [index, chunk] of output.entries()) expect(chunk).toBe(chunks[index]);
    expect(reader.getOutcome()).toEqual({
      usage: {
        input_tokens: 40,
        output_tokens: 9,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 5,
      },
      usageEstimated: false,
      stopReason: 'end_turn',
    });
  });

  it('still reads an error event, whatever its event name', async () => {
    const text = `${frame('message_start', { message: { usage: { input_tokens: 1 } } })}event: content_block_delta\ndata: {"type":"error","error":{"type":"overloaded_error","message":"busy"}}\n\n`;
    const reader = new AnthropicUsageReader(100);
    await readAll(tapAnthropicEventStream(sourceOf([encoder.encode(text)]), reader));
    expect(reader.getOutcome().errorType).toBe('overloaded_error');
  });

  it('ends normally after a failed read with onReadError, appending the trailer', async () => {
    const reader = new AnthropicUsageReader(100);
    const failures: unknown[] = [];
    const output = await readAll(
      tapAnthropicEventStream(sourceOf([encoder.encode(streamText)], new Error('reset')), reader, {
        onReadError: error => failures.push(error),
        trailer: () => (failures.length > 0 ? '\n\nevent: error\n\n' : ''),
      }),
    );
    expect(failures).toHaveLength(1);
    expect(new TextDecoder().decode(output[1])).toBe('\n\nevent: error\n\n');
  });

  it('errors the stream after a failed read without onReadError', async () => {
    const reader = new AnthropicUsageReader(100);
    await expect(
      readAll(tapAnthropicEventStream(sourceOf([], new Error('reset')), reader)),
    ).rejects.toThrow('reset');
  });
});
