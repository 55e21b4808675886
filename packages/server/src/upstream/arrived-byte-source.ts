import { endedRead } from '../streaming/byte-source-stream.js';
import type { ByteSource } from './upstream-response.js';

/**
 * Byte sources whose whole body has already arrived (a short upstream answer usually comes in the
 * same packets as its headers, see `takeArrivedBody`): reading one to its end never waits for the
 * upstream. The stages between the upstream and the client read such a body whole and at once
 * (the first-frame probe judges it as it stands, no timer watches it, it goes to the client in one
 * write) instead of through a chain of reads, promises, timers and a turn of the event loop per
 * stage: that machinery was most of the gateway's fixed cost on a short streamed answer.
 */
const arrivedKey = Symbol('arrived body');

type Marked = { [arrivedKey]?: true };

/** Marks `source` as one whose reads never wait for the upstream (see above); returns it. */
export function markArrived<T extends ByteSource>(source: T): T {
  (source as T & Marked)[arrivedKey] = true;
  return source;
}

/** Whether `source` was marked by {@link markArrived}. */
export function hasArrived(source: ByteSource): boolean {
  return (source as ByteSource & Marked)[arrivedKey] === true;
}

/**
 * `chunks` as a byte source, one per read, then the end (or, with `failure`, that error). Marked
 * arrived unless it ends in a failure (a failed body goes the usual way, whose stages report it).
 */
export function replayByteSource(
  chunks: readonly Uint8Array[],
  failure?: { error: unknown },
): ByteSource {
  const source: ByteSource = {
    getReader() {
      let next = 0;
      let cancelled = false;
      return {
        async read() {
          if (cancelled) return endedRead;
          if (next < chunks.length) return { done: false, value: chunks[next++]! };
          if (failure) throw failure.error;
          return endedRead;
        },
        async cancel() {
          cancelled = true;
        },
      };
    },
  };
  return failure ? source : markArrived(source);
}

/** What {@link readArrived} read: the chunks (empty ones left out), and the error that ended it. */
export interface ArrivedRead {
  chunks: Uint8Array[];
  failure?: { error: unknown };
}

/**
 * Reads an arrived source to its end. A read that fails ends it with `failure` (the chunks read
 * before it are kept, so the caller can hand both to the usual path, which reports the failure).
 */
export async function readArrived(source: ByteSource): Promise<ArrivedRead> {
  const reader = source.getReader();
  const chunks: Uint8Array[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { chunks };
      if (value.byteLength > 0) chunks.push(value);
    }
  } catch (error) {
    return { chunks, failure: { error } };
  }
}

/** The chunks as one body (the single chunk itself when there is one: no copy). */
export function joinChunks(chunks: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  return (
    chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks as Uint8Array[])
  ) as Uint8Array<ArrayBuffer>;
}
