import type { MessageStreamEvent } from '@conduit/core';
import type { EventSourceMessage } from 'eventsource-parser';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { encodeSSEEvent } from '../../sse/encode-sse-event.js';
import { createStreamDataPipeline } from '../transformers/run-transformers.js';
import type { TransformerContext, TransformerInstance } from '../transformers/transformer-types.js';
import { openaiChatChunkSchema } from './openai-api.js';
import type { OpenAIStreamState } from './openai-stream-state.js';

/**
 * A TransformStream from parsed upstream SSE messages to Anthropic SSE text, driving `state`.
 * Transformer `transformStreamData` hooks see each JSON payload first. A payload that is not JSON
 * ends the stream with an `error` event (the vendor broke the protocol; continuing would corrupt
 * the message).
 */
export function createOpenAIStreamTransformer(options: {
  state: OpenAIStreamState;
  transformers: readonly TransformerInstance[];
  context: TransformerContext;
  /** Set when the upstream connection failed (see `guardUpstreamBody`). */
  getUpstreamFailure?: () => string | undefined;
}): TransformStream<EventSourceMessage, string> {
  const { state, context } = options;
  const hooks = createStreamDataPipeline(options.transformers, context);
  let sawDone = false;
  const emit = (
    controller: TransformStreamDefaultController<string>,
    events: MessageStreamEvent[],
  ) => {
    for (const event of events) controller.enqueue(encodeSSEEvent(event));
  };
  const pushPayload = (
    controller: TransformStreamDefaultController<string>,
    payload: Record<string, unknown>,
  ) => {
    const parsed = openaiChatChunkSchema.safeParse(payload);
    if (!parsed.success) {
      emit(
        controller,
        state.fail('api_error', 'The upstream sent a stream chunk of unknown shape.'),
      );
      return;
    }
    emit(controller, state.push(parsed.data));
  };
  return new TransformStream<EventSourceMessage, string>({
    transform(message, controller) {
      if (sawDone) return;
      const data = message.data.trim();
      if (data === '[DONE]') {
        sawDone = true;
        return;
      }
      if (data === '') return;
      let payload: unknown;
      try {
        payload = JSON.parse(data);
      } catch {
        emit(controller, state.fail('api_error', 'The upstream sent a malformed stream chunk.'));
        return;
      }
      if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
        emit(
          controller,
          state.fail('api_error', 'The upstream sent a stream chunk of unknown shape.'),
        );
        return;
      }
      const payloads = hooks.push(payload as Record<string, unknown>);
      for (const item of payloads) pushPayload(controller, item);
    },
    flush(controller) {
      for (const item of hooks.end()) pushPayload(controller, item);
      emit(controller, state.end(sawDone, options.getUpstreamFailure?.()));
    },
  });
}

/** Upstream SSE bytes → Anthropic SSE bytes. */
export function translateOpenAIStream(
  upstream: ReadableStream<Uint8Array>,
  transformer: TransformStream<EventSourceMessage, string>,
): ReadableStream<Uint8Array> {
  return upstream
    .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
    .pipeThrough(new EventSourceParserStream())
    .pipeThrough(transformer)
    .pipeThrough(new TextEncoderStream());
}
