import { describe, expect, it } from '@jest/globals';
import { type StreamEnd, createClientStream } from './track-client-stream.js';

/** A source whose chunks are all there at once, then its end. */
function endedSource(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

function track(source: ReadableStream<Uint8Array>) {
  const ends: StreamEnd[] = [];
  let firstBytes = 0;
  const client = createClientStream(source, {
    onFirstByte: () => firstBytes++,
    onEnd: end => ends.push(end),
    onClientClose: () => {},
    isClientGone: () => false,
  });
  return { client, ends, firstBytes: () => firstBytes };
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const filled = (size: number, byte: number) => new Uint8Array(size).fill(byte);

describe('createClientStream', () => {
  it('returns a short answer that has already ended as one body', async () => {
    const { client, ends, firstBytes } = track(
      endedSource([filled(10, 97), filled(20, 98), filled(5, 99)]),
    );
    const whole = await client.readWholeIfEnded();
    expect(Buffer.from(whole ?? [])).toEqual(
      Buffer.concat([filled(10, 97), filled(20, 98), filled(5, 99)]),
    );
    expect(ends).toEqual([{ kind: 'completed' }]);
    expect(firstBytes()).toBe(1);
  });

  it('streams a long answer that has already ended, every byte in order, once', async () => {
    const chunks = [filled(40_000, 97), filled(40_000, 98), filled(40_000, 99), filled(7, 100)];
    const { client, ends, firstBytes } = track(endedSource(chunks));
    expect(await client.readWholeIfEnded()).toBeUndefined();
    expect(ends).toEqual([]);
    expect(await readAll(client.stream)).toEqual(Buffer.concat(chunks));
    expect(ends).toEqual([{ kind: 'completed' }]);
    expect(firstBytes()).toBe(1);
  });
});
