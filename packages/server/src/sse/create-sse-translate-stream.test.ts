import { describe, expect, it } from '@jest/globals';
import { createSSETranslateStream } from './create-sse-translate-stream.js';
import { decodeLatin1AsUTF8 } from './latin1-sse-text.js';

const encoder = new TextEncoder();

/** A source that yields the given pieces, then ends (or fails with `failWith`). */
function sourceOf(pieces: (string | Uint8Array)[], failWith?: Error) {
  let index = 0;
  let cancelled: unknown = null;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const piece = pieces[index++];
        if (piece !== undefined) {
          controller.enqueue(typeof piece === 'string' ? encoder.encode(piece) : piece);
        } else if (failWith) controller.error(failWith);
        else controller.close();
      },
      cancel(reason) {
        cancelled = reason;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, wasCancelledWith: () => cancelled };
}

async function readChunks(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const decoder = new TextDecoder();
  const chunks: string[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    chunks.push(decoder.decode(chunk));
  }
  return chunks;
}

const upper = {
  onEvent: (message: { data: string; event?: string }) =>
    `[${message.event ?? 'message'}:${message.data.toUpperCase()}]`,
  onEnd: () => '[end]',
};

describe('createSSETranslateStream', () => {
  it('emits everything one upstream read produces as one chunk', async () => {
    const { stream } = sourceOf(['data: a\n\ndata: b\n\nevent: x\ndata: c\n\n', 'data: d\n\n']);
    const chunks = await readChunks(createSSETranslateStream(stream, upper));
    expect(chunks).toEqual(['[message:A][message:B][x:C]', '[message:D]', '[end]']);
  });

  it('joins events and multi-byte characters split across reads', async () => {
    const bytes = encoder.encode('data: héllo\n\ndata: wörld\n\n');
    const { stream } = sourceOf([bytes.subarray(0, 8), bytes.subarray(8, 20), bytes.subarray(20)]);
    const chunks = await readChunks(createSSETranslateStream(stream, upper));
    expect(chunks.join('')).toBe('[message:HÉLLO][message:WÖRLD][end]');
  });

  it('drops an event not closed by a blank line at the end, as EventSourceParserStream does', async () => {
    const { stream } = sourceOf(['data: a\n\ndata: unfinished']);
    const chunks = await readChunks(createSSETranslateStream(stream, upper));
    expect(chunks.join('')).toBe('[message:A][end]');
  });

  it('skips reads that produce nothing and still answers the pending read', async () => {
    const { stream } = sourceOf([': comment\n\n', 'data: a', '\n\n']);
    const chunks = await readChunks(
      createSSETranslateStream(stream, { onEvent: upper.onEvent, onEnd: () => '' }),
    );
    expect(chunks).toEqual(['[message:A]']);
  });

  it('ends normally after a failed read when onReadError is given', async () => {
    const failure = new Error('socket reset');
    const { stream } = sourceOf(['data: a\n\n'], failure);
    const seen: unknown[] = [];
    const chunks = await readChunks(
      createSSETranslateStream(stream, upper, { onReadError: error => seen.push(error) }),
    );
    expect(chunks.join('')).toBe('[message:A][end]');
    expect(seen).toEqual([failure]);
  });

  it('errors the stream after a failed read without onReadError', async () => {
    const { stream } = sourceOf(['data: a\n\n'], new Error('socket reset'));
    await expect(readChunks(createSSETranslateStream(stream, upper))).rejects.toThrow(
      'socket reset',
    );
  });

  it('cancels the upstream when cancelled', async () => {
    const { stream, wasCancelledWith } = sourceOf(['data: a\n\n', 'data: b\n\n']);
    const reader = createSSETranslateStream(stream, upper).getReader();
    await reader.read();
    await reader.cancel('client gone');
    expect(wasCancelledWith()).toBe('client gone');
  });
});

describe('createSSETranslateStream with latin1', () => {
  /** Every event as the handler sees it, data decoded back to UTF-8 in latin1 mode. */
  async function eventsOf(bytes: Uint8Array, pieceSize: number, latin1: boolean) {
    const pieces: Uint8Array[] = [];
    for (let offset = 0; offset < bytes.length; offset += pieceSize) {
      pieces.push(bytes.slice(offset, offset + pieceSize));
    }
    const { stream } = sourceOf(pieces);
    const events: string[] = [];
    const translated = createSSETranslateStream(
      stream,
      {
        onEvent: (message, asciiSoFar) => {
          const decode = latin1 && !asciiSoFar ? decodeLatin1AsUTF8 : (text: string) => text;
          events.push(
            `${message.event === undefined ? '-' : decode(message.event)}|${decode(message.data)}`,
          );
          return '';
        },
        onEnd: () => '',
      },
      { latin1 },
    );
    await readChunks(translated);
    return events;
  }

  const bom = [0xef, 0xbb, 0xbf];
  const cases: Array<[string, Uint8Array]> = [
    ['multi-byte text', encoder.encode('data: héllo wörld 😀\n\nevent: é\ndata: x\n\n')],
    ['a byte order mark', new Uint8Array([...bom, ...encoder.encode('data: a\n\n')])],
    [
      'two byte order marks',
      new Uint8Array([...bom, ...bom, ...encoder.encode('data: a\n\ndata: b\n\n')]),
    ],
    [
      'invalid UTF-8',
      new Uint8Array([
        ...encoder.encode('data: a'),
        0xff,
        0xc3,
        ...encoder.encode('\n\ndata: \xe9\n\n'),
      ]),
    ],
    [
      'CRLF and multi-line data',
      encoder.encode('data: a\r\ndata: ü\r\n\r\nid: 1\revent: e\rdata: c\r\r'),
    ],
  ];
  for (const [name, bytes] of cases) {
    it(`sees the same events as decoding UTF-8 (${name})`, async () => {
      const reference = await eventsOf(bytes, bytes.length, false);
      for (const pieceSize of [bytes.length, 5, 2, 1]) {
        expect(await eventsOf(bytes, pieceSize, true)).toEqual(reference);
      }
    });
  }
});

describe('createSSETranslateStream output encoding', () => {
  /**
   * `data: f` frames read whole by `readFrames` (ASCII output, `<f>`), the others (and those a
   * read cuts in two) as events: `eventText` of their data (`<f>` for `f`, as `readFrames`).
   */
  const handlers = (eventText: (data: string) => string) => ({
    onEvent: (message: { data: string }, asciiSoFar: boolean) =>
      message.data === 'f'
        ? '<f>'
        : eventText(asciiSoFar ? message.data : decodeLatin1AsUTF8(message.data)),
    readFrames(text: string, position: number, output: { text: string; ascii?: boolean }) {
      let at = position;
      // Takes `data: f\n\n` frames only: plain ASCII, so the output stays known to be ASCII.
      while (text.startsWith('data: f\n\n', at)) {
        output.text += '<f>';
        at += 'data: f\n\n'.length;
      }
      return at;
    },
    onEnd: () => '[end]',
  });

  it('writes UTF-8 whatever mix of frames, events and non-ASCII text a read holds', async () => {
    const sse = `${'data: f\n\n'.repeat(5)}data: é\n\n${'data: f\n\n'.repeat(3)}data: x\n\n`;
    const bytes = encoder.encode(sse);
    const expected = `${'<f>'.repeat(5)}(é)${'<f>'.repeat(3)}(x)[end]`;
    for (const pieceSize of [bytes.length, 64, 7, 2, 1]) {
      const pieces: Uint8Array[] = [];
      for (let offset = 0; offset < bytes.length; offset += pieceSize) {
        pieces.push(bytes.slice(offset, offset + pieceSize));
      }
      const { stream } = sourceOf(pieces);
      const translated = createSSETranslateStream(
        stream,
        handlers(data => `(${data})`),
        { latin1: true },
      );
      expect((await readChunks(translated)).join('')).toBe(expected);
    }
  });

  it('encodes non-ASCII text an event adds to an ASCII read', async () => {
    const { stream } = sourceOf(['data: f\n\ndata: x\n\ndata: f\n\n']);
    const translated = createSSETranslateStream(
      stream,
      handlers(() => '😀ü'),
      { latin1: true },
    );
    const chunks: Uint8Array[] = [];
    for await (const chunk of translated as unknown as AsyncIterable<Uint8Array>)
      chunks.push(chunk);
    expect(Buffer.concat(chunks)).toEqual(Buffer.from('<f>😀ü<f>[end]'));
  });
});
