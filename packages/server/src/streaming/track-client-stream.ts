import { ProviderAPIError } from '@conduit/core';
import { encodeSSEError } from '../sse/encode-sse-event.js';

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
  handlers: {
    onFirstByte(): void;
    onEnd(end: StreamEnd): void;
    onClientClose(): void;
    isClientGone(): boolean;
  },
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let sentFirstByte = false;
  let ended = false;
  const end = (result: StreamEnd) => {
    if (ended) return;
    ended = true;
    handlers.onEnd(result);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
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
          const message = describeStreamFailure(error);
          if (!sentFirstByte) handlers.onFirstByte();
          controller.enqueue(encoder.encode(encodeSSEError('api_error', message)));
          controller.close();
          end({ kind: 'failed', message });
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
}

function describeStreamFailure(error: unknown): string {
  if (ProviderAPIError.isInstance(error)) return error.message;
  return 'The upstream connection failed in the middle of the response stream.';
}
