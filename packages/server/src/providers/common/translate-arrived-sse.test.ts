import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import type { MessageStreamEvent } from '@conduit/core';
import { OpenAIStreamState } from '../openai/openai-stream-state.js';
import { translateOpenAISource } from '../openai/openai-stream-transformer.js';
import { createStreamDataPipeline } from '../transformers/run-transformers.js';
import type { TransformerContext, TransformerInstance } from '../transformers/transformer-types.js';
import type { ByteSource } from '../../upstream/upstream-response.js';
import { type StreamEventState, translateJSONEventSource } from './translate-json-event-stream.js';
import type { UpstreamEventSource } from './open-upstream-source.js';

const context = {} as TransformerContext;
const identityHook: TransformerInstance = { name: 'identity', transformStreamData: data => data };

/** `bytes` read in pieces of `pieceSize` (the ordinary, streamed way). */
function piecesOf(bytes: Uint8Array, pieceSize: number): ByteSource {
  return {
    getReader() {
      let offset = 0;
      return {
        async read() {
          if (offset >= bytes.length) return { done: true, value: undefined };
          const value = bytes.slice(offset, offset + pieceSize);
          offset += pieceSize;
          return { done: false, value };
        },
        async cancel() {},
      };
    },
  };
}

async function readAll(source: ByteSource): Promise<{ text: string; reads: number }> {
  const reader = source.getReader();
  const chunks: Uint8Array[] = [];
  let reads = 0;
  for (let result = await reader.read(); !result.done; result = await reader.read()) {
    chunks.push(result.value);
    reads++;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), reads };
}

const arrivedSource = (bytes: Uint8Array): UpstreamEventSource => ({
  source: piecesOf(bytes, bytes.length),
  arrived: bytes,
});

async function translateOpenAI(upstream: UpstreamEventSource, transformers: TransformerInstance[]) {
  const state = new OpenAIStreamState({ model: 'm', estimatedInputTokens: 7 });
  const output = await readAll(translateOpenAISource({ upstream, state, transformers, context }));
  return { ...output, outcome: state.getOutcome() };
}

const head =
  '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":';
const tail = ',"finish_reason":null}]}';
const frame = (data: string) => `data: ${data}\n\n`;
const text = (content: string) => frame(`${head}{"content":${content}}${tail}`);
const finish = frame(
  `${head}{},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":4}}`,
);

const bodies: Record<string, string> = {
  'a short answer': `${frame(`${head}{"role":"assistant","content":""}${tail}`)}${text('"Hel"')}${text('"lo"')}${text('" there"')}${finish}${frame('[DONE]')}`,
  'non-ASCII text and escapes': `${text('"é😀"')}${text('"\\n\\"q"')}${text('"✓"')}${finish}data: [DONE]\n\n`,
  'a byte order mark and CRLF lines': `\ufeff${text('"a"').replace(/\n/g, '\r\n')}: comment\r\n\r\n${finish}`,
  'a stream cut before its end': `${text('"a"')}${text('"b"')}data: {"id":"c1","cho`,
  'a malformed chunk': `${text('"a"')}data: {nope}\n\n${text('"b"')}`,
  'a chunk of unknown shape': `${text('"a"')}data: [1,2]\n\n`,
  'an empty body': '',
};

describe('translateArrivedSSE (an OpenAI answer that has already arrived)', () => {
  it.each(Object.entries(bodies))(
    'gives the bytes and outcome of the streamed translation, in one read: %s',
    async (_name, body) => {
      const bytes = Buffer.from(body);
      const arrived = await translateOpenAI(arrivedSource(bytes), []);
      expect(arrived.reads).toBeLessThanOrEqual(1);
      for (const pieceSize of [1 << 20, 5, 1]) {
        const streamed = await translateOpenAI({ source: piecesOf(bytes, pieceSize) }, []);
        expect(arrived.text).toBe(streamed.text);
        expect(arrived.outcome).toEqual(streamed.outcome);
      }
      // Stream-data hooks see the same payloads either way.
      const hooked = await translateOpenAI(arrivedSource(bytes), [identityHook]);
      expect(hooked.text).toBe(arrived.text);
    },
  );

  it('ends without a read of bytes once cancelled', async () => {
    const state = new OpenAIStreamState({ model: 'm', estimatedInputTokens: 7 });
    const reader = translateOpenAISource({
      upstream: arrivedSource(Buffer.from(bodies['a short answer']!)),
      state,
      transformers: [],
      context,
    }).getReader();
    await reader.cancel();
    await expect(reader.read()).resolves.toEqual({ done: true, value: undefined });
  });
});

describe('translateJSONEventSource with an answer that has already arrived', () => {
  const schema = z.object({ text: z.string() });
  /** A minimal state machine: one text delta per payload. */
  const createState = (): StreamEventState<{ text: string }> => {
    let index = 0;
    return {
      push: payload => [
        {
          type: 'content_block_delta',
          index: index++,
          delta: { type: 'text_delta', text: payload.text },
        } as MessageStreamEvent,
      ],
      fail: (type, message) => [{ type: 'error', error: { type, message } } as MessageStreamEvent],
      end: failure =>
        failure
          ? [
              {
                type: 'error',
                error: { type: 'api_error', message: failure },
              } as MessageStreamEvent,
            ]
          : [{ type: 'message_stop' } as MessageStreamEvent],
    };
  };
  const translate = (upstream: UpstreamEventSource) =>
    readAll(
      translateJSONEventSource({
        upstream,
        schema,
        state: createState(),
        hooks: createStreamDataPipeline([], context),
        getUpstreamFailure: () => undefined,
      }),
    );

  it('gives the bytes of the streamed translation', async () => {
    const body = Buffer.from(
      'data: {"text":"ä"}\n\ndata: {"text":"b"}\r\n\r\ndata: {"nope":1}\n\ndata: [DONE]\n\n',
    );
    const arrived = await translate(arrivedSource(body));
    expect(arrived.reads).toBe(1);
    for (const pieceSize of [1 << 20, 3, 1]) {
      expect(arrived.text).toBe((await translate({ source: piecesOf(body, pieceSize) })).text);
    }
  });
});
