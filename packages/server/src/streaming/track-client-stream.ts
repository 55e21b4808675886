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
    /**
     * Aborted when the server gives up waiting for this stream (shutdown deadline): the client
     * gets a final `event: error` frame with the abort reason's message, then the end.
     */
    abortSignal?: AbortSignal;
    /** Strips secrets from an error message before it goes to the client. */
    redact?(text: string): string;
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
  const abortSignal = handlers.abortSignal;
  const abortMessage = () => {
    const reason: unknown = abortSignal?.reason;
    return reason instanceof Error ? reason.message : 'The response was aborted by the server.';
  };
  // Ends a pending read at once, so the error frame goes out without waiting for the upstream.
  abortSignal?.addEventListener('abort', () => reader.cancel(abortSignal.reason).catch(() => {}), {
    once: true,
  });
  const failWith = (controller: ReadableStreamDefaultController<Uint8Array>, text: string) => {
    const message = handlers.redact ? handlers.redact(text) : text;
    if (!sentFirstByte) handlers.onFirstByte();
    sentFirstByte = true;
    controller.enqueue(encoder.encode(encodeSSEError('api_error', message)));
    controller.close();
    end({ kind: 'failed', message });
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (abortSignal?.aborted) {
          failWith(controller, abortMessage());
          return;
        }
        try {
          const { done, value } = await reader.read();
          if (abortSignal?.aborted) {
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
          failWith(
            controller,
            abortSignal?.aborted ? abortMessage() : describeStreamFailure(error),
          );
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
