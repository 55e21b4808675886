import type { MessageStreamEvent } from '@conduit/core';
import { createSSETranslateStream } from '../../sse/create-sse-translate-stream.js';
import { parseAnthropicStreamEvent } from './anthropic-stream-event.js';

/** A pure stream state of the OpenAI door: Anthropic events in, client frames out. */
export interface OpenAIStreamState<Frame> {
  onEvent(event: MessageStreamEvent): Frame[];
  onEnd(): Frame[];
  fail(error: { type: string; message: string }): Frame[];
}

/** Message for a stream whose upstream read failed after the first byte. */
const readFailureMessage = 'The upstream connection failed while streaming the response.';

/**
 * Anthropic SSE bytes (what every adapter returns) → the OpenAI API's SSE bytes, in one stream
 * stage. A failed read of the source ends the stream with the state's error frame instead of
 * cutting the connection, so the client always gets a well-formed end.
 */
export function translateAnthropicStream<Frame>(
  source: ReadableStream<Uint8Array>,
  state: OpenAIStreamState<Frame>,
  encode: (frame: Frame) => string,
): ReadableStream<Uint8Array> {
  const encodeAll = (frames: Frame[]) => {
    let text = '';
    for (const frame of frames) text += encode(frame);
    return text;
  };
  let readFailed = false;
  return createSSETranslateStream(
    source,
    {
      onEvent: message => {
        const event = parseAnthropicStreamEvent(message.data);
        return event ? encodeAll(state.onEvent(event)) : '';
      },
      onEnd: () =>
        encodeAll(
          readFailed
            ? state.fail({ type: 'api_error', message: readFailureMessage })
            : state.onEnd(),
        ),
    },
    {
      onReadError: () => {
        readFailed = true;
      },
    },
  );
}
