import { describe, expect, it, jest } from '@jest/globals';
import {
  encodeSSEEvent,
  encodeInputJSONDeltaEvent,
  encodeTextDeltaEvent,
} from '../../sse/encode-sse-event.js';
import type { TransformerContext, TransformerInstance } from '../transformers/transformer-types.js';
import { ChunkShapes } from './openai-chunk-shapes.js';
import { OpenAIStreamState } from './openai-stream-state.js';
import { translateOpenAIStream } from './openai-stream-transformer.js';

const context = {} as TransformerContext;
/** A stream-data hook that changes nothing: it turns the shape fast path off (the reference). */
const identityHook: TransformerInstance = { name: 'identity', transformStreamData: data => data };

async function translate(sse: string, transformers: TransformerInstance[], pieceSize: number) {
  const bytes = new TextEncoder().encode(sse);
  let offset = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + pieceSize));
      offset += pieceSize;
    },
  });
  const state = new OpenAIStreamState({ model: 'm', estimatedInputTokens: 7 });
  const stream = translateOpenAIStream({ upstream: { source }, state, transformers, context });
  const decoder = new TextDecoder();
  let text = '';
  for await (const piece of stream as unknown as AsyncIterable<Uint8Array>) {
    text += decoder.decode(piece, { stream: true });
  }
  return { text, outcome: state.getOutcome() };
}

/** The stream translated with and without the fast path, in whole and in odd-sized pieces. */
async function expectSameAsOrdinaryPath(sse: string): Promise<string> {
  const reference = await translate(sse, [identityHook], 1 << 20);
  for (const pieceSize of [1 << 20, 7, 1]) {
    const fast = await translate(sse, [], pieceSize);
    expect(fast.text).toBe(reference.text);
    expect(fast.outcome).toEqual(reference.outcome);
  }
  return reference.text;
}

const head =
  '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":';
const tail = ',"finish_reason":null}]}';
const frame = (data: string) => `data: ${data}\n\n`;
const text = (content: string) => frame(`${head}{"content":${content}}${tail}`);
const tool = (fields: string) => frame(`${head}{"tool_calls":[${fields}]}${tail}`);
const finish = (reason: string) =>
  frame(
    `${head}{},"finish_reason":"${reason}"}],"usage":{"prompt_tokens":3,"completion_tokens":4}}`,
  );

describe('OpenAI chunk shapes', () => {
  it('translates repeated text chunks exactly as the ordinary path does', async () => {
    const pieces = [
      '"He"',
      '"llo"',
      '" wo"',
      '""',
      '"rld"',
      '"\\u00e9\\"q\\\\"',
      '"é😀"',
      '"\\n\\t"',
    ];
    const sse =
      frame(`${head}{"role":"assistant","content":""}${tail}`) +
      pieces.map(text).join('') +
      finish('stop') +
      frame('[DONE]');
    const output = await expectSameAsOrdinaryPath(sse);
    expect(output).toContain('"text":"é😀"');
    // The repeated chunks skip JSON.parse: only the first two (role, then text) and the end parse.
    const parse = jest.spyOn(JSON, 'parse');
    try {
      await translate(sse, [], 1 << 20);
      const parsedData = parse.mock.calls.filter(([data]) => String(data).includes('"c1"'));
      expect(parsedData.length).toBeLessThanOrEqual(6);
    } finally {
      parse.mockRestore();
    }
    expect(output).toContain('"text":"\\n\\t"');
  });

  it('leaves chunks it cannot vouch for to the ordinary path (errors included)', async () => {
    const cases = [
      // A raw control character: JSON.parse rejects the chunk.
      text('"a\u0001b"'),
      // Two literals where one is expected: not the learned shape.
      text('"a","content":"b"'),
      // An escaped quote at the end that leaves the string open.
      text('"abc\\"'),
      // A lone surrogate escape: JSON.stringify writes it escaped.
      text('"\\ud800"'),
    ];
    for (const odd of cases) {
      await expectSameAsOrdinaryPath(
        text('"a"') + text('"b"') + odd + text('"c"') + frame('[DONE]'),
      );
    }
  });

  it('translates tool-call argument fragments, parallel calls and repeated ids exactly', async () => {
    const call = (index: number, rest: string) => tool(`{"index":${index}${rest}}`);
    const sse =
      text('"Let me look."') +
      call(0, ',"id":"call_a","type":"function","function":{"name":"Bash","arguments":""}') +
      call(0, ',"function":{"arguments":"{\\"co"}') +
      call(0, ',"function":{"arguments":"mmand\\""}') +
      call(1, ',"id":"call_b","type":"function","function":{"name":"Read","arguments":"{\\"p"}') +
      call(1, ',"function":{"arguments":"ath\\":1}"}') +
      call(0, ',"function":{"arguments":":\\"ls\\"}"}') +
      // A vendor that repeats the id with every fragment, and one that reuses index 0 for a new call.
      call(0, ',"id":"call_a","function":{"arguments":""}') +
      call(0, ',"id":"call_c","type":"function","function":{"name":"Grep","arguments":"{}"}') +
      call(0, ',"id":"call_c","function":{"arguments":" "}') +
      finish('tool_calls') +
      frame('[DONE]');
    const output = await expectSameAsOrdinaryPath(sse);
    expect(output).toContain('"partial_json":"mmand\\""');
  });

  it('handles spaced JSON, text after tools and a stream cut before [DONE]', async () => {
    const spaced = (content: string) =>
      frame(
        `{"id": "c1", "choices": [{"index": 0, "delta": {"content": ${content}}, "finish_reason": null}]}`,
      );
    await expectSameAsOrdinaryPath(spaced('"a"') + spaced('"b"') + spaced('"c"'));
    await expectSameAsOrdinaryPath(
      text('"a"') +
        text('"b"') +
        tool('{"index":0,"id":"x","function":{"name":"T","arguments":"{}"}}') +
        text('"after"') +
        text('"more"') +
        finish('stop'),
    );
  });

  it('learns no shape for a short answer that arrived whole, and translates it the same', async () => {
    const translateArrived = async (sse: string) => {
      const bytes = new TextEncoder().encode(sse);
      const source = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes);
          controller.close();
        },
      });
      const state = new OpenAIStreamState({ model: 'm', estimatedInputTokens: 7 });
      const stream = translateOpenAIStream({
        upstream: { source, arrived: bytes },
        state,
        transformers: [],
        context,
      });
      return new Response(stream).text();
    };
    const answer = (pieces: number) =>
      frame(`${head}{"role":"assistant","content":""}${tail}`) +
      Array.from({ length: pieces }, (_, index) => text(`"piece ${index} "`)).join('') +
      finish('stop') +
      frame('[DONE]');
    const probes = (parse: { mock: { calls: unknown[][] } }) =>
      parse.mock.calls.filter(([data]) => String(data).includes('conduit-shape-probe')).length;
    for (const [pieces, learns] of [
      [4, false],
      [60, true],
    ] as const) {
      const sse = answer(pieces);
      const reference = await translate(sse, [identityHook], 1 << 20);
      const parse = jest.spyOn(JSON, 'parse');
      try {
        expect(await translateArrived(sse)).toBe(reference.text);
        expect(probes(parse) > 0).toBe(learns);
      } finally {
        parse.mockRestore();
      }
    }
  });

  it('only learns a shape whose literal is the one the parse reads', () => {
    const shapes = new ChunkShapes();
    const duplicate = '{"choices":[{"delta":{"content":"a","content":"b"}}]}';
    shapes.learn(duplicate, JSON.parse(duplicate) as Record<string, unknown>);
    expect(shapes.match('{"choices":[{"delta":{"content":"a","content":"zz"}}]}')).toEqual(
      expect.objectContaining({ value: 'zz' }),
    );
    const tricky = '{"x":"\\"content\\":\\"q\\"","choices":[{"delta":{"content":"b"}}]}';
    shapes.learn(tricky, JSON.parse(tricky) as Record<string, unknown>);
    expect(shapes.match(tricky.replace('"b"', '"c"'))?.value).toBe('c');
  });

  it('encodes delta events exactly as encodeSSEEvent does', () => {
    for (const value of [
      '',
      'plain',
      'q"uote',
      'back\\slash',
      'line\nbreak',
      '\u2028',
      'é😀',
      '\ud800',
    ]) {
      expect(encodeTextDeltaEvent(3, JSON.stringify(value))).toBe(
        encodeSSEEvent({
          type: 'content_block_delta',
          index: 3,
          delta: { type: 'text_delta', text: value },
        }),
      );
      expect(encodeInputJSONDeltaEvent(12, JSON.stringify(value))).toBe(
        encodeSSEEvent({
          type: 'content_block_delta',
          index: 12,
          delta: { type: 'input_json_delta', partial_json: value },
        }),
      );
    }
  });
});
