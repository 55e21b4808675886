import { ProviderAPIError } from '@conduit/core';
import { encodeSSEError } from '../sse/encode-sse-event.js';
import type { ByteSource } from './byte-source-stream.js';

/** How a client stream ended. */
export type StreamEnd =
  | { kind: 'completed' }
  | { kind: 'client-closed' }
  | { kind: 'failed'; message: string };

const encoder = new TextEncoder();

/**
 * Wraps the Anthropic SSE stream sent to the client:
 * - reports the first byte and the end (exactly once: completed, failed, or client closed);
 * - turns an upstream failure after the first byte into a final `event: error` frame, since
 *   the status line has already gone out;
 * - on client disconnect, cancels the source (which aborts the upstream request) and calls
 *   `onClientClose`.
 * Pull-based, so upstream bytes are read only as fast as the client takes them.
 */
export function trackClientStream(
  source: ReadableStream<Uint8Array>,
  handlers: TrackClientStreamHandlers,
): ReadableStream<Uint8Array> {
  return createClientStream(source, handlers).stream;
}

/** The tracked stream, and its whole body when the source had already ended. */
export interface ClientStream {
  stream: ReadableStream<Uint8Array>;
  /**
   * Reads what the source has ready without waiting for the upstream (until the current turn of
   * the event loop ends). When that is the whole stream (a short answer arrives in one piece),
   * returns its bytes: sent as one body, headers and all go out in one write instead of three
   * (headers, chunk, end of chunked encoding). Otherwise `undefined`, and `stream` starts with
   * what was read. Call it at most once, before `stream` is read. A long answer is never
   * gathered whole (see `maxWholeBytes`).
   */
  readWholeIfEnded(): Promise<Uint8Array<ArrayBuffer> | undefined>;
}

interface TrackClientStreamHandlers {
  onFirstByte(): void;
  onEnd(end: StreamEnd): void;
  onClientClose(): void;
  isClientGone(): boolean;
  /**
   * Tells when the server gives up waiting for this stream (shutdown deadline): the client gets a
   * final `event: error` frame with the abort reason's message, then the end. A listener, not an
   * `AbortSignal`: the request's in-flight handle builds an `AbortController` (an `EventTarget`)
   * only for whoever reads its signal, a noticeable share of a short answer.
   */
  serverAbort?: { onAbort(listener: (reason: unknown) => void): void };
  /** Strips secrets from an error message before it goes to the client. */
  redact?(text: string): string;
}

const maxReadsAhead = 8;
/**
 * Past this size an answer goes out as a stream even when it has already ended: one write saves
 * little on a long body, while joining it into one buffer costs a copy into freshly mapped
 * memory (which cost long unpaced streams more than the writes it saved).
 */
const maxWholeBytes = 64 * 1024;
const notReady = Symbol('not ready');
/** The end of the current turn of the event loop, shared by the streams that ask in that turn. */
let currentTurnEnd: Promise<typeof notReady> | undefined;
const nextTurn = (): Promise<typeof notReady> => {
  if (!currentTurnEnd) {
    currentTurnEnd = new Promise(resolve =>
      setImmediate(() => {
        currentTurnEnd = undefined;
        resolve(notReady);
      }),
    );
  }
  return currentTurnEnd;
};

/** {@link trackClientStream}, with {@link ClientStream.readWholeIfEnded}. */
export function createClientStream(
  source: ByteSource,
  handlers: TrackClientStreamHandlers,
): ClientStream {
  const reader = source.getReader();
  // Chunks read ahead by readWholeIfEnded, and the read still pending when it stopped.
  const readAhead: Uint8Array[] = [];
  let pendingRead: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  // (`source` may be a byte source, not a web stream: a short answer read whole never needs one.)
  let sentFirstByte = false;
  let ended = false;
  const end = (result: StreamEnd) => {
    if (ended) return;
    ended = true;
    handlers.onEnd(result);
  };
  let aborted = false;
  let abortReason: unknown;
  const abortMessage = () =>
    abortReason instanceof Error ? abortReason.message : 'The response was aborted by the server.';
  handlers.serverAbort?.onAbort(reason => {
    aborted = true;
    abortReason = reason;
    // Ends a pending read at once, so the error frame goes out without waiting for the upstream.
    reader.cancel(reason).catch(() => {});
  });
  const failWith = (controller: ReadableStreamDefaultController<Uint8Array>, text: string) => {
    const message = handlers.redact ? handlers.redact(text) : text;
    if (!sentFirstByte) handlers.onFirstByte();
    sentFirstByte = true;
    controller.enqueue(encoder.encode(encodeSSEError('api_error', message)));
    controller.close();
    end({ kind: 'failed', message });
  };
  // Made on first read of `stream`: a short answer read whole never needs it, and on Node 20 each
  // web stream costs ~15 µs to construct (`makeTransferable`), a noticeable share of a small answer.
  const createStream = () =>
    new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          const ready = readAhead.shift();
          if (ready) {
            if (!sentFirstByte) {
              sentFirstByte = true;
              handlers.onFirstByte();
            }
            controller.enqueue(ready);
            return;
          }
          if (aborted) {
            failWith(controller, abortMessage());
            return;
          }
          try {
            const read = pendingRead ?? reader.read();
            pendingRead = undefined;
            const { done, value } = await read;
            if (aborted) {
              failWith(controller, abortMessage());
              return;
            }
            if (done) {
              controller.close();
              end({ kind: 'completed' });
              return;
            }
            if (!sentFirstByte) {
              sentFirstByte = true;
              handlers.onFirstByte();
            }
            controller.enqueue(value);
          } catch (error) {
            if (handlers.isClientGone()) {
              end({ kind: 'client-closed' });
              controller.close();
              return;
            }
            failWith(controller, aborted ? abortMessage() : describeStreamFailure(error));
          }
        },
        async cancel(reason) {
          handlers.onClientClose();
          end({ kind: 'client-closed' });
          await reader.cancel(reason).catch(() => undefined);
        },
      },
      { highWaterMark: 0 },
    );
  let stream: ReadableStream<Uint8Array> | undefined;
  const readWholeIfEnded = async (): Promise<Uint8Array<ArrayBuffer> | undefined> => {
    const turnEnds = nextTurn();
    let bytesAhead = 0;
    for (let index = 0; index < maxReadsAhead && bytesAhead <= maxWholeBytes && !aborted; index++) {
      const read = reader.read();
      // A failed read is left to `pull`, which turns it into an error frame as it always did.
      read.catch(() => undefined);
      const result = await Promise.race([read, turnEnds]).catch(() => notReady);
      if (typeof result === 'symbol') {
        pendingRead = read;
        return undefined;
      }
      if (result.done) {
        if (readAhead.length === 0) {
          pendingRead = read;
          return undefined;
        }
        handlers.onFirstByte();
        sentFirstByte = true;
        end({ kind: 'completed' });
        // One chunk (a short answer's usual single read) goes out as it is, without a copy.
        return readAhead.length === 1
          ? (readAhead[0] as Uint8Array<ArrayBuffer>)
          : Buffer.concat(readAhead);
      }
      readAhead.push(result.value);
      bytesAhead += result.value.byteLength;
    }
    return undefined;
  };
  return {
    get stream() {
      stream ??= createStream();
      return stream;
    },
    readWholeIfEnded,
  };
}

function describeStreamFailure(error: unknown): string {
  if (ProviderAPIError.isInstance(error)) return error.message;
  return 'The upstream connection failed in the middle of the response stream.';
}
