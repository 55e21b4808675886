import type { MessageStreamEvent } from '@conduit/core';
import type { EventSourceMessage } from 'eventsource-parser';
import type { z } from 'zod';
import {
  type SSETranslateHandlers,
  createSSETranslateSource,
} from '../../sse/create-sse-translate-stream.js';
import { type ByteSource, byteSourceToWebStream } from '../../streaming/byte-source-stream.js';
import { encodeSSEEvents } from '../../sse/encode-sse-event.js';
import type { StreamDataPipeline } from '../transformers/run-transformers.js';
import type { UpstreamEventSource } from './open-upstream-source.js';
import { translateArrivedSSE } from './translate-arrived-sse.js';
import {
  malformedChunkMessage,
  parseStreamPayload,
  unknownChunkShapeMessage,
} from './parse-stream-payload.js';

/** A provider stream state machine (Gemini, Responses): payloads in, Anthropic events out. */
export interface StreamEventState<T> {
  push(payload: T): MessageStreamEvent[];
  fail(type: 'api_error' | 'overloaded_error', message: string): MessageStreamEvent[];
  /** The upstream ended (`failureMessage` when its connection failed). */
  end(failureMessage?: string): MessageStreamEvent[];
}

/**
 * Upstream SSE whose `data:` payloads are JSON objects → Anthropic SSE bytes, in one stream stage
 * (see `createSSETranslateStream`): each payload runs through the transformer stream hooks, is
 * validated with `schema` and drives `state`. A payload that is not a JSON object, or not of the
 * expected shape, ends the stream with an `error` event.
 */
export function translateJSONEventStream<T>(
  options: TranslateJSONEventStreamOptions<T>,
): ReadableStream<Uint8Array> {
  return byteSourceToWebStream(translateJSONEventSource(options));
}

/** Options of {@link translateJSONEventStream}. */
export interface TranslateJSONEventStreamOptions<T> {
  upstream: UpstreamEventSource;
  schema: z.ZodType<T>;
  state: StreamEventState<T>;
  hooks: StreamDataPipeline;
  getUpstreamFailure: () => string | undefined;
}

/** {@link translateJSONEventStream} as a byte source (no web stream; see `createSSETranslateSource`). */
export function translateJSONEventSource<T>(
  options: TranslateJSONEventStreamOptions<T>,
): ByteSource {
  const { schema, state, hooks } = options;
  const pushPayload = (payload: Record<string, unknown>): string => {
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      return encodeSSEEvents(state.fail('api_error', unknownChunkShapeMessage));
    }
    return encodeSSEEvents(state.push(parsed.data));
  };
  const pushAll = (payloads: Record<string, unknown>[]): string => {
    let text = '';
    for (const item of payloads) text += pushPayload(item);
    return text;
  };
  const handlers: SSETranslateHandlers = {
    onEvent(message: EventSourceMessage): string {
      const data = message.data.trim();
      if (data === '' || data === '[DONE]') return '';
      const record = parseStreamPayload(data);
      if (record === 'malformed') {
        return encodeSSEEvents(state.fail('api_error', malformedChunkMessage));
      }
      if (record === 'not-an-object') {
        return encodeSSEEvents(state.fail('api_error', unknownChunkShapeMessage));
      }
      return hooks.empty ? pushPayload(record) : pushAll(hooks.push(record));
    },
    onEnd(): string {
      const flushed = hooks.empty ? '' : pushAll(hooks.end());
      return flushed + encodeSSEEvents(state.end(options.getUpstreamFailure()));
    },
  };
  const { arrived } = options.upstream;
  if (arrived) return translateArrivedSSE(arrived, handlers);
  return createSSETranslateSource(options.upstream.source, handlers, {
    onReadError: options.upstream.onReadError,
  });
}
