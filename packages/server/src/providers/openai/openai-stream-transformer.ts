import type { EventSourceMessage } from 'eventsource-parser';
import {
  type SSETranslateHandlers,
  createSSETranslateSource,
} from '../../sse/create-sse-translate-stream.js';
import { type ByteSource, byteSourceToWebStream } from '../../streaming/byte-source-stream.js';
import { encodeSSEEvents } from '../../sse/encode-sse-event.js';
import { decodeLatin1AsUTF8 } from '../../sse/latin1-sse-text.js';
import type { UpstreamEventSource } from '../common/open-upstream-source.js';
import { translateArrivedSSE } from '../common/translate-arrived-sse.js';
import {
  malformedChunkMessage,
  parseStreamPayload,
  unknownChunkShapeMessage,
} from '../common/parse-stream-payload.js';
import { createStreamDataPipeline } from '../transformers/run-transformers.js';
import type { TransformerContext, TransformerInstance } from '../transformers/transformer-types.js';
import { isOpenAIChatChunk } from './is-openai-chat-chunk.js';
import { ChunkShapes, type ShapedChunk } from './openai-chunk-shapes.js';
import {
  type TranslateShapedRun,
  type TranslateShapedString,
  readShapedFrames,
} from './openai-shaped-frames.js';
import { openaiChatChunkSchema } from './openai-api.js';
import type { OpenAIStreamState } from './openai-stream-state.js';

/**
 * An answer that arrived whole in fewer bytes than this (about 20 chunks) is translated without
 * learning chunk shapes: learning one costs a second parse and copies of the frame (tens of µs),
 * which a handful of chunks does not win back. A short answer is what most small requests get.
 */
const shapelessArrivedBytes = 4096;

/**
 * Upstream OpenAI SSE bytes → Anthropic SSE bytes, driving `state`, in one stream stage (see
 * `createSSETranslateStream`). Transformer `transformStreamData` hooks see each JSON payload
 * first. A payload that is not JSON, or not a chunk, ends the stream with an `error` event (the
 * vendor broke the protocol; continuing would corrupt the message).
 */
export function translateOpenAIStream(
  options: TranslateOpenAIStreamOptions,
): ReadableStream<Uint8Array> {
  return byteSourceToWebStream(translateOpenAISource(options));
}

/** Options of {@link translateOpenAIStream}. */
export interface TranslateOpenAIStreamOptions {
  upstream: UpstreamEventSource;
  state: OpenAIStreamState;
  transformers: readonly TransformerInstance[];
  context: TransformerContext;
  /** Set when the upstream connection failed. */
  getUpstreamFailure?: () => string | undefined;
}

/** {@link translateOpenAIStream} as a byte source (no web stream; see `createSSETranslateSource`). */
export function translateOpenAISource(options: TranslateOpenAIStreamOptions): ByteSource {
  const { state, context } = options;
  const hooks = createStreamDataPipeline(options.transformers, context);
  let sawDone = false;
  const { arrived } = options.upstream;
  // Without stream-data hooks, chunks that repeat a known shape skip JSON.parse (see ChunkShapes),
  // unless the whole answer is already here and too short for a learned shape to repay learning it.
  const shapes =
    hooks.empty && !(arrived && arrived.byteLength < shapelessArrivedBytes)
      ? new ChunkShapes()
      : undefined;
  const pushShaped = (shaped: ShapedChunk): string | undefined =>
    shaped.kind === 'text'
      ? state.pushTextDelta(shaped.value.length, shaped.json)
      : state.pushToolArgumentsDelta(
          shaped.toolKey,
          shaped.toolId,
          shaped.toolName,
          shaped.value.length,
          shaped.json,
        );
  const translateShapedString: TranslateShapedString = (shape, length, json) =>
    shape.kind === 'text'
      ? state.pushTextDelta(length, json)
      : state.pushToolArgumentsDelta(shape.toolKey, shape.toolId, shape.toolName, length, json);
  const translateShapedRun: TranslateShapedRun = (shape, length) =>
    shape.kind === 'text'
      ? state.pushTextRun(length)
      : state.pushToolArgumentsRun(shape.toolKey, shape.toolId, shape.toolName, length);
  /** `data`: the payload's (Latin-1) JSON text, to learn its shape from. */
  const pushPayload = (payload: Record<string, unknown>, data?: string): string => {
    if (isOpenAIChatChunk(payload)) {
      if (data !== undefined) shapes?.learn(data, payload);
      return encodeSSEEvents(state.push(payload));
    }
    // The quick check is conservative: zod has the last word on anything unusual.
    const parsed = openaiChatChunkSchema.safeParse(payload);
    if (!parsed.success) return failUnknownShape();
    return encodeSSEEvents(state.push(parsed.data));
  };
  const failUnknownShape = () => encodeSSEEvents(state.fail('api_error', unknownChunkShapeMessage));
  const pushAll = (payloads: Record<string, unknown>[]): string => {
    let text = '';
    for (const item of payloads) text += pushPayload(item);
    return text;
  };
  const handlers: SSETranslateHandlers = {
    onEvent(message: EventSourceMessage, asciiSoFar: boolean): string {
      if (sawDone) return '';
      // `message.data` is Latin-1 text: decoded below only when a byte was not ASCII.
      const shaped = shapes?.match(message.data);
      if (shaped) {
        const text = pushShaped(shaped);
        if (text !== undefined) return text;
      }
      const data = (asciiSoFar ? message.data : decodeLatin1AsUTF8(message.data)).trim();
      if (data === '[DONE]') {
        sawDone = true;
        return '';
      }
      if (data === '') return '';
      const record = parseStreamPayload(data);
      if (record === 'malformed') {
        return encodeSSEEvents(state.fail('api_error', malformedChunkMessage));
      }
      if (record === 'not-an-object') return failUnknownShape();
      if (!hooks.empty) return pushAll(hooks.push(record));
      // A chunk of a known shape that took this way (it opened a block) teaches nothing new.
      return pushPayload(record, shaped === undefined ? message.data : undefined);
    },
    onEnd(): string {
      const flushed = hooks.empty ? '' : pushAll(hooks.end());
      return flushed + encodeSSEEvents(state.end(sawDone, options.getUpstreamFailure?.()));
    },
  };
  if (shapes) {
    handlers.readFrames = (text, position, output) =>
      sawDone
        ? position
        : readShapedFrames(
            shapes,
            text,
            position,
            output,
            translateShapedString,
            translateShapedRun,
          );
  }
  if (arrived) return translateArrivedSSE(arrived, handlers, { latin1: true });
  return createSSETranslateSource(options.upstream.source, handlers, {
    onReadError: options.upstream.onReadError,
    latin1: true,
  });
}
