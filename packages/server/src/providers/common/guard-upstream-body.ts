/**
 * Wraps an upstream response body so that a read failure (connection reset, aborted request) ends
 * the stream normally instead of erroring it. An errored web stream discards chunks that are
 * already translated but not yet sent, so the client would lose the last good events; this way
 * they are delivered and the adapter appends an `error` event after them. `onFailure` receives the
 * error once.
 */
export function guardUpstreamBody(
  body: ReadableStream<Uint8Array>,
  onFailure: (error: unknown) => void,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          onFailure(error);
          controller.close();
        }
      },
      async cancel(reason) {
        await reader.cancel(reason).catch(() => undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

/** The message sent to the client when the upstream connection fails mid-stream. */
export const upstreamStreamFailureMessage =
  'The upstream connection failed in the middle of the response stream.';
