import type { MessageStreamEvent } from '@conduit/core';
import type { EventSourceMessage } from 'eventsource-parser';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import type { z } from 'zod';
import { encodeSSEEvent } from '../../sse/encode-sse-event.js';
import type { StreamDataPipeline } from '../transformers/run-transformers.js';

/** A provider stream state machine (Gemini, Responses): payloads in, Anthropic events out. */
export interface StreamEventState<T> {
  push(payload: T): MessageStreamEvent[];
  fail(type: 'api_error' | 'overloaded_error', message: string): MessageStreamEvent[];
  /** The upstream ended (`failureMessage` when its connection failed). */
  end(failureMessage?: string): MessageStreamEvent[];
}

/**
 * Upstream SSE whose `data:` payloads are JSON objects → Anthropic SSE bytes: each payload runs
 * through the transformer stream hooks, is validated with `schema` and drives `state`. A payload
 * that is not a JSON object, or not of the expected shape, ends the stream with an `error` event.
 */
export function translateJSONEventStream<T>(options: {
  body: ReadableStream<Uint8Array>;
  schema: z.ZodType<T>;
  state: StreamEventState<T>;
  hooks: StreamDataPipeline;
  getUpstreamFailure: () => string | undefined;
}): ReadableStream<Uint8Array> {
  const { schema, state, hooks } = options;
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
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      emit(
        controller,
        state.fail('api_error', 'The upstream sent a stream chunk of unknown shape.'),
      );
      return;
    }
    emit(controller, state.push(parsed.data));
  };
  const translate = new TransformStream<EventSourceMessage, string>({
    transform(message, controller) {
      const data = message.data.trim();
      if (data === '' || data === '[DONE]') return;
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
      for (const item of hooks.push(payload as Record<string, unknown>))
        pushPayload(controller, item);
    },
    flush(controller) {
      for (const item of hooks.end()) pushPayload(controller, item);
      emit(controller, state.end(options.getUpstreamFailure()));
    },
  });
  return options.body
    .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
    .pipeThrough(new EventSourceParserStream())
    .pipeThrough(translate)
    .pipeThrough(new TextEncoderStream());
}
