import { describe, expect, it } from '@jest/globals';
import Anthropic from '@anthropic-ai/sdk';
import { readFixtureText } from '@conduit/test-utils';
import { readConduitMetadata } from './conduit-metadata.js';
import {
  createStreamMetadataInjector,
  type StreamMetadataInjectorOptions,
} from './stream-metadata-injector.js';

const fixtures = ['cc-response-text.sse', 'cc-response-thinking-tool_use.sse'];

const routing = {
  requestId: 'req_1',
  provider: 'deepseek',
  model: 'deepseek-chat',
  route: 'synapse-agent-type',
  projectId: 'web',
  agentId: 'coder-1',
};

/** Streams `text` in fixed-size byte chunks, so frames and UTF-8 characters straddle chunks. */
function chunked(text: string, size: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  });
}

async function inject(
  text: string,
  size: number,
  options: Partial<StreamMetadataInjectorOptions> = {},
): Promise<string> {
  const stream = chunked(text, size).pipeThrough(
    createStreamMetadataInjector({ metadata: routing, priceUsage: () => 0.0123, ...options }),
  );
  return new Response(stream).text();
}

function withoutComments(text: string): string {
  return text.replace(/^: conduit .*\n\n/gm, '');
}

/** An SDK client whose fetch serves `body` as an SSE response (no network). */
function clientServing(body: () => ReadableStream<Uint8Array> | string): Anthropic {
  return new Anthropic({
    apiKey: 'sk-test',
    baseURL: 'http://127.0.0.1:1',
    maxRetries: 0,
    fetch: async () =>
      new Response(body(), { status: 200, headers: { 'content-type': 'text/event-stream' } }),
  });
}

const params = {
  model: 'claude-sonnet-5',
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content: 'hi' }],
};

describe('createStreamMetadataInjector', () => {
  it.each(fixtures.flatMap(name => [1, 7, 64, 100000].map(size => [name, size] as const)))(
    '%s in %i-byte chunks: events unchanged, metadata at start and before message_stop',
    async (name, size) => {
      const original = readFixtureText(name);
      const injected = await inject(original, size);
      expect(withoutComments(injected)).toBe(original);
      const comments = injected.match(/^: conduit .*$/gm) ?? [];
      expect(comments).toHaveLength(2);
      expect(injected.startsWith(': conduit {"requestId":"req_1"')).toBe(true);
      expect(injected.indexOf(comments[1]!)).toBeLessThan(injected.indexOf('event: message_stop'));
    },
  );

  it('reports usage from message_start and message_delta, and the cost', async () => {
    const original = readFixtureText('cc-response-thinking-tool_use.sse');
    const completed: unknown[] = [];
    const injected = await inject(original, 13, {
      onComplete: metadata => completed.push(metadata),
    });
    const metadata = readConduitMetadata(injected);
    const finalMessage = await clientServing(() => original)
      .messages.stream(params)
      .finalMessage();
    expect(metadata).toEqual({
      ...routing,
      phase: 'end',
      usage: {
        inputTokens: finalMessage.usage.input_tokens,
        outputTokens: finalMessage.usage.output_tokens,
        cacheReadTokens: finalMessage.usage.cache_read_input_tokens ?? 0,
        cacheWriteTokens: finalMessage.usage.cache_creation_input_tokens ?? 0,
      },
      costUsd: 0.0123,
    });
    expect(completed).toEqual([metadata]);
  });

  it('adds the end comment after the last frame when there is no message_stop', async () => {
    const cut =
      'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":5,"output_tokens":1}}}\n\nevent: ping\ndata: {"type": "ping"}\n\nevent: content_block';
    const injected = await inject(cut, 5, { priceUsage: () => null });
    expect(withoutComments(injected)).toBe(cut);
    expect(injected.endsWith('\n\nevent: content_block')).toBe(true);
    expect(readConduitMetadata(injected)).toMatchObject({
      phase: 'end',
      usage: { inputTokens: 5, outputTokens: 1 },
      costUsd: null,
    });
  });

  it('handles CRLF framing', async () => {
    const original = readFixtureText('cc-response-text.sse').replace(/\n/g, '\r\n');
    const injected = await inject(original, 11);
    expect(injected.replace(/^: conduit .*\n\n/gm, '')).toBe(original);
    expect(readConduitMetadata(injected)?.usage).toBeDefined();
  });
});

describe('the Anthropic SDK ignores the metadata', () => {
  it.each(fixtures)('%s: messages.stream().finalMessage() is identical', async name => {
    const original = readFixtureText(name);
    const plain = await clientServing(() => original)
      .messages.stream(params)
      .finalMessage();
    const withMetadata = await clientServing(() =>
      chunked(original, 9).pipeThrough(
        createStreamMetadataInjector({ metadata: routing, priceUsage: () => 1 }),
      ),
    )
      .messages.stream(params)
      .finalMessage();
    expect(withMetadata).toEqual(plain);
    expect(plain.content.length).toBeGreaterThan(0);
  });

  it.each(fixtures)('%s: raw iteration yields the same events, nothing extra', async name => {
    const original = readFixtureText(name);
    const collect = async (client: Anthropic) => {
      const events: unknown[] = [];
      const stream = await client.messages.create({ ...params, stream: true });
      for await (const event of stream) events.push(event);
      return events;
    };
    const plain = await collect(clientServing(() => original));
    const withMetadata = await collect(
      clientServing(() =>
        chunked(original, 3).pipeThrough(createStreamMetadataInjector({ metadata: routing })),
      ),
    );
    expect(withMetadata).toEqual(plain);
    expect(plain.at(-1)).toEqual({ type: 'message_stop' });
  });

  it('an unknown event name instead would reach raw iteration (why comments are the carrier)', async () => {
    const original = readFixtureText('cc-response-text.sse');
    const withEvent = `event: conduit_metadata\ndata: {"type":"conduit_metadata"}\n\n${original}`;
    const events: Array<{ type: string }> = [];
    const stream = await clientServing(() => withEvent).messages.create({
      ...params,
      stream: true,
    });
    for await (const event of stream) events.push(event as { type: string });
    expect(events[0]?.type).toBe('conduit_metadata');
  });
});

describe('readConduitMetadata', () => {
  it('merges comments in order and skips foreign or broken ones', () => {
    const text = [
      ': keep-alive',
      ': conduit {"provider":"a","phase":"start"}',
      ': conduit not-json',
      'event: ping',
      'data: {"type":"ping"}',
      '',
      ': conduit {"phase":"end","costUsd":0.5}',
      '',
    ].join('\n');
    expect(readConduitMetadata(text)).toEqual({ provider: 'a', phase: 'end', costUsd: 0.5 });
    expect(readConduitMetadata('event: ping\ndata: {}\n\n')).toBeNull();
  });
});
