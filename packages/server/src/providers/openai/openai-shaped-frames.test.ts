import { describe, expect, it } from '@jest/globals';
import {
  encodeInputJSONDeltaEvent,
  encodeSSEEvent,
  encodeTextDeltaEvent,
  inputJSONDeltaFraming,
  textDeltaFraming,
} from '../../sse/encode-sse-event.js';
import type { TransformerContext, TransformerInstance } from '../transformers/transformer-types.js';
import { ChunkShapes } from './openai-chunk-shapes.js';
import { readShapedFrames } from './openai-shaped-frames.js';
import { OpenAIStreamState } from './openai-stream-state.js';
import { translateOpenAISource } from './openai-stream-transformer.js';

const context = {} as TransformerContext;
/** A stream-data hook that changes nothing: it turns every fast path off (the reference). */
const identityHook: TransformerInstance = { name: 'identity', transformStreamData: data => data };

async function translate(
  sse: string,
  transformers: TransformerInstance[],
  pieceSize: number,
  arrived = false,
) {
  const bytes = new TextEncoder().encode(sse);
  let offset = 0;
  const source = {
    getReader: () => ({
      async read(): Promise<ReadableStreamReadResult<Uint8Array>> {
        if (offset >= bytes.length) return { done: true, value: undefined };
        const piece = bytes.slice(offset, offset + pieceSize);
        offset += pieceSize;
        return { done: false, value: piece };
      },
      async cancel() {},
    }),
  };
  const state = new OpenAIStreamState({ model: 'm', estimatedInputTokens: 7 });
  const upstream = arrived ? { source, arrived: bytes } : { source };
  const reader = translateOpenAISource({ upstream, state, transformers, context }).getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const result = await reader.read();
    if (result.done) break;
    text += decoder.decode(result.value, { stream: true });
  }
  return { text, outcome: state.getOutcome() };
}

async function expectSameAsOrdinaryPath(sse: string): Promise<string> {
  const reference = await translate(sse, [identityHook], 1 << 20);
  for (const pieceSize of [1 << 20, 1, 2, 7, 64, 150]) {
    const fast = await translate(sse, [], pieceSize);
    expect(fast.text).toBe(reference.text);
    expect(fast.outcome).toEqual(reference.outcome);
  }
  const whole = await translate(sse, [], 1 << 20, true);
  expect(whole.text).toBe(reference.text);
  return reference.text;
}

const head =
  '{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":';
const tail = ',"finish_reason":null}]}';
const text = (content: string, end = '\n\n') => `data: ${head}{"content":${content}}${tail}${end}`;
const start = `data: ${head}{"role":"assistant","content":""}${tail}\n\n`;
const finish = `data: ${head}{},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":4}}\n\n`;
const done = 'data: [DONE]\n\n';
const many = (count: number) =>
  Array.from({ length: count }, (_, index) => text(`"w${index} "`)).join('');

describe('shaped OpenAI frames', () => {
  it('translate runs of frames exactly as the events would, however the reads cut them', async () => {
    const output = await expectSameAsOrdinaryPath(start + many(40) + finish + done);
    expect(output).toContain('"text":"w39 "');
  });

  it('leave other SSE framings to the ordinary reading, with the same result', async () => {
    const variants = [
      // Line ends other than `\n\n`, extra blank lines, comments, fields before the data.
      text('"crlf"', '\r\n\r\n') + text('"cr"', '\r\r') + text('"mixed"', '\n\r\n'),
      `${text('"a"')}\n\n${text('"b"')}: comment\n${text('"c"')}`,
      `event: message\n${text('"named"')}id: 4\n${text('"with id"')}retry: 9\n${text('"r"')}`,
      // No space after `data:`, and a payload split over two `data:` lines.
      `data:${head}{"content":"tight"}${tail}\n\n`,
      `data: ${head}{"content":\ndata: "split"}${tail}\n\n`,
      // Escapes, line-end escapes, non-ASCII text, a literal that does not parse.
      text('"esc\\"aped\\n"') + text('"é😀ü"') + text('"\\u00e9"') + text('"bad\\x"'),
      text('"raw\ttab"') + text('"\\ud83d\\ude00"') + text('"tail\\\\"'),
      // Trailing spaces around the payload.
      `data:  ${head}{"content":"spaced"}${tail}  \n\n`,
    ];
    for (const variant of variants) {
      await expectSameAsOrdinaryPath(start + many(3) + variant + many(3) + finish + done);
    }
  });

  it('stop at frames the state machine must see whole, and after [DONE]', async () => {
    const toolStart = `data: ${head}{"tool_calls":[{"index":0,"id":"t1","type":"function","function":{"name":"Bash","arguments":""}}]}${tail}\n\n`;
    const toolArgs = (fragment: string) =>
      `data: ${head}{"tool_calls":[{"index":0,"function":{"arguments":${fragment}}}]}${tail}\n\n`;
    await expectSameAsOrdinaryPath(
      start +
        many(3) +
        toolStart +
        toolArgs('"{\\"a"') +
        toolArgs('"\\":1"') +
        toolArgs('"}"') +
        many(2) +
        finish +
        done +
        many(2),
    );
    // A stream cut before the end, in the middle of a frame.
    const cut = start + many(5);
    await expectSameAsOrdinaryPath(cut.slice(0, cut.length - 20));
  });

  it('translate long runs with odd frames among them, usage estimated or not', async () => {
    const noUsage = `data: ${head}{},"finish_reason":"stop"}]}\n\n`;
    const odd = [
      text('""'),
      text('"esc\\"aped"'),
      text('"é"'),
      `: comment\n${text('"after a comment"')}`,
      text('"crlf"', '\r\n\r\n'),
    ];
    for (const variant of ['', ...odd]) {
      const sse = start + many(45) + variant + many(60) + variant + many(40);
      await expectSameAsOrdinaryPath(sse + noUsage + done);
      await expectSameAsOrdinaryPath(sse + finish + done);
      // Cut before the end: in a frame, and between frames.
      await expectSameAsOrdinaryPath(sse.slice(0, sse.length - 17));
      await expectSameAsOrdinaryPath(sse);
    }
  });

  it('translate long runs of tool-call argument fragments', async () => {
    const toolStart = `data: ${head}{"tool_calls":[{"index":0,"id":"t1","type":"function","function":{"name":"Bash","arguments":""}}]}${tail}\n\n`;
    const toolArgs = (fragment: string) =>
      `data: ${head}{"tool_calls":[{"index":0,"function":{"arguments":${fragment}}}]}${tail}\n\n`;
    const fragments = Array.from({ length: 120 }, (_, index) =>
      toolArgs(index % 37 === 5 ? '"\\"q"' : `"a${index}"`),
    ).join('');
    const noUsage = `data: ${head}{},"finish_reason":"tool_calls"}]}\n\n`;
    const output = await expectSameAsOrdinaryPath(
      start + many(40) + toolStart + fragments + noUsage + done,
    );
    expect(output).toContain('"partial_json":"a119"');
  });

  it('read a whole run in one call and stop at a frame cut by the end of the text', () => {
    const shapes = new ChunkShapes();
    const data = text('"x"').slice('data: '.length, -2);
    shapes.learn(data, JSON.parse(data) as Record<string, unknown>);
    const lengths: number[] = [];
    const output = { text: '' };
    // (The stream's text is its bytes read as Latin-1: `é` is two characters here.)
    const run = Buffer.from(`${text('"a"')}${text('"b\\n"')}${text('"é"')}`).toString('latin1');
    const cutFrame = text('"c"').slice(0, -1);
    const stopped = readShapedFrames(shapes, run + cutFrame, 0, output, (_shape, length, json) => {
      lengths.push(length);
      return `[${json}]`;
    });
    expect(stopped).toBe(run.length);
    expect(lengths).toEqual([1, 2, 1]);
    expect(output.text).toBe('["a"]["b\\n"]["é"]');
    expect(readShapedFrames(shapes, `: x\n${run}`, 0, output, () => '')).toBe(0);
  });
});

describe('shaped frames translated in batches', () => {
  const shapes = new ChunkShapes();
  const data = text('"x"').slice('data: '.length, -2);
  shapes.learn(data, JSON.parse(data) as Record<string, unknown>);
  const perFrame = (_shape: unknown, length: number, json: string) => `[${length}:${json}]`;
  const framing = { head: '[', tail: ']', between: '][' };

  /** The frames read with batches, and the run lengths `translateRun` was asked for. */
  function readBatched(run: string, accept = () => true) {
    const output = { text: '', ascii: true };
    const lengths: number[] = [];
    const stopped = readShapedFrames(shapes, run, 0, output, perFrame, (_shape, length) => {
      lengths.push(length);
      return accept() ? framing : undefined;
    });
    return { stopped, output, lengths };
  }

  it('join the plain strings between other frames into one output, as frame by frame', () => {
    const frames = ['"ab"', '"c d"', '""', '"e"', '"esc\\"q"', '"f"', '"g"', '"é"', '"h"'].map(
      literal => text(literal),
    );
    const run = Buffer.from(frames.join('')).toString('latin1');
    const cut = text('"cut"').slice(0, -3);
    const { stopped, output, lengths } = readBatched(run + cut);
    expect(stopped).toBe(run.length);
    // Batches: [ab, c d], then the empty string alone, [e], the escape alone, [f, g], é alone, [h].
    expect(lengths).toEqual([5, 1, 2, 1]);
    expect(output.text).toBe('["ab"]["c d"][0:""]["e"][5:"esc\\"q"]["f"]["g"][1:"é"]["h"]');
    // (`é`, read as two Latin-1 characters, decoded: the output is no longer known to be ASCII.)
    expect(output.ascii).toBe(false);
  });

  it('keep the output known to be ASCII for plain strings, and stop where a batch is declined', () => {
    const run = [text('"a"'), text('"b"'), text('"c"')].join('');
    const batched = readBatched(run);
    expect(batched.output).toEqual({ text: '["a"]["b"]["c"]', ascii: true });
    expect(batched.stopped).toBe(run.length);
    const declined = readBatched(run, () => false);
    expect(declined.stopped).toBe(0);
    expect(declined.output.text).toBe('');
    // A batch declined after frames taken one by one: those stay taken, the batch does not.
    const mixed = text('"esc\\"q"') + run;
    const partly = readBatched(mixed, () => false);
    expect(partly.stopped).toBe(text('"esc\\"q"').length);
    expect(partly.output.text).toBe('[5:"esc\\"q"]');
  });
});

describe('delta event heads', () => {
  it('frame a run of events as the events one by one, cached or not', () => {
    for (const index of [0, 1, 0, 63, 64, 1000, 1]) {
      for (const [framing, encode] of [
        [textDeltaFraming(index), encodeTextDeltaEvent],
        [inputJSONDeltaFraming(index), encodeInputJSONDeltaEvent],
      ] as const) {
        const strings = ['"a"', '"b c"', '"{\\"d\\":1}"'];
        expect(`${framing.head}${strings.join(framing.between)}${framing.tail}`).toBe(
          strings.map(json => encode(index, json)).join(''),
        );
      }
    }
  });

  it('encode every block index as encodeSSEEvent does, cached or not', () => {
    for (const index of [0, 1, 0, 63, 64, 1000, 1]) {
      expect(encodeTextDeltaEvent(index, '"t"')).toBe(
        encodeSSEEvent({
          type: 'content_block_delta',
          index,
          delta: { type: 'text_delta', text: 't' },
        }),
      );
      expect(encodeInputJSONDeltaEvent(index, '"{}"')).toBe(
        encodeSSEEvent({
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: '{}' },
        }),
      );
    }
  });
});
