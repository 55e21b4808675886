import { describe, expect, it } from '@jest/globals';
import {
  hasArrived,
  joinChunks,
  markArrived,
  readArrived,
  replayByteSource,
} from './arrived-byte-source.js';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('arrived byte sources', () => {
  it('are marked, and only the marked ones', () => {
    const source = { getReader: () => replayByteSource([]).getReader() };
    expect(hasArrived(source)).toBe(false);
    expect(markArrived(source)).toBe(source);
    expect(hasArrived(source)).toBe(true);
  });

  it('replay their chunks in order, then the end, and are read whole without empty chunks', async () => {
    const chunks = [bytes('event: a\n'), bytes(''), bytes('data: é\n\n')];
    const source = replayByteSource(chunks);
    expect(hasArrived(source)).toBe(true);
    const read = await readArrived(source);
    expect(read.failure).toBeUndefined();
    expect(read.chunks).toEqual([chunks[0], chunks[2]]);
    expect(Buffer.from(joinChunks(read.chunks)).toString()).toBe('event: a\ndata: é\n\n');
  });

  it('join one chunk without a copy', () => {
    const chunk = bytes('data: x\n\n');
    expect(joinChunks([chunk])).toBe(chunk);
  });

  it('keep the chunks before a failed read, and a replay ends with that failure unmarked', async () => {
    const error = new Error('cut');
    let reads = 0;
    const failing = {
      getReader: () => ({
        read: async () => {
          reads++;
          if (reads === 1) return { done: false as const, value: bytes('data: 1\n\n') };
          throw error;
        },
        cancel: async () => undefined,
      }),
    };
    const read = await readArrived(failing);
    expect(read.chunks).toHaveLength(1);
    expect(read.failure).toEqual({ error });
    const replay = replayByteSource(read.chunks, read.failure);
    expect(hasArrived(replay)).toBe(false);
    const reader = replay.getReader();
    expect((await reader.read()).value).toBe(read.chunks[0]);
    await expect(reader.read()).rejects.toBe(error);
  });

  it('end a replay that was cancelled', async () => {
    const reader = replayByteSource([bytes('a'), bytes('b')]).getReader();
    await reader.cancel();
    expect((await reader.read()).done).toBe(true);
  });
});
