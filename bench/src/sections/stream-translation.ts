import { type MessagesRequest, silentLogger } from '@conduit/core';
import {
  type OpenAIChatChunk,
  OpenAIStreamState,
  createDefaultTransformerRegistry,
  createOpenAIAdapter,
  parseConduitConfig,
  resolveProviderPipeline,
} from '@conduit/server';
import { countFrameEnds } from '../lib/load-client.js';
import { createBenchAnswer, createOpenAIFrames } from '../mock/mock-answers.js';

/** Throughput of one in-process translation layer. */
export interface TranslationThroughput {
  /** Streams translated during the measured time. */
  streams: number;
  /** OpenAI chunks in one stream (excluding `[DONE]`). */
  upstreamChunksPerStream: number;
  /** Anthropic events produced per stream. */
  eventsPerStream: number;
  upstreamChunksPerSecond: number;
  eventsPerSecond: number;
  /** Milliseconds to translate one whole stream (median over streams). */
  perStreamMs: number;
}

/** The long stream: 8,000 characters of text in 5-character deltas, then two tool calls in 4-character argument deltas. */
export function createLongOpenAIStream(): { frames: string[]; bytes: Buffer } {
  const frames = createOpenAIFrames(createBenchAnswer('long'));
  return { frames, bytes: Buffer.from(frames.join('')) };
}

function repeatFor(durationMs: number, minimumRounds: number, round: () => void): number[] {
  const times: number[] = [];
  const stopAt = performance.now() + durationMs;
  while (times.length < minimumRounds || performance.now() < stopAt) {
    const started = performance.now();
    round();
    times.push(performance.now() - started);
  }
  return times;
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function summarizeRounds(
  times: number[],
  upstreamChunksPerStream: number,
  eventsPerStream: number,
): TranslationThroughput {
  const total = times.reduce((sum, time) => sum + time, 0);
  return {
    streams: times.length,
    upstreamChunksPerStream,
    eventsPerStream,
    upstreamChunksPerSecond: (times.length * upstreamChunksPerStream * 1000) / total,
    eventsPerSecond: (times.length * eventsPerStream * 1000) / total,
    perStreamMs: medianOf(times),
  };
}

/** The state machine alone (`OpenAIStreamState`) on pre-parsed chunks: the translation's floor. */
export function measureStreamState(durationMs: number): TranslationThroughput {
  const { frames } = createLongOpenAIStream();
  const chunks = frames
    .filter(frame => !frame.startsWith('data: [DONE]'))
    .map(frame => JSON.parse(frame.slice('data: '.length)) as OpenAIChatChunk);
  let eventsPerStream = 0;
  const translate = () => {
    const state = new OpenAIStreamState({ model: 'mock-model', estimatedInputTokens: 100 });
    let events = 0;
    for (const chunk of chunks) events += state.push(chunk).length;
    events += state.end(true).length;
    eventsPerStream = events;
  };
  for (let warm = 0; warm < 20; warm++) translate();
  const times = repeatFor(durationMs, 10, translate);
  return summarizeRounds(times, chunks.length, eventsPerStream);
}

/** Splits `bytes` into a stream of `size`-byte pieces, as a socket would deliver them. */
function toByteStream(bytes: Buffer, size: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(new Uint8Array(bytes.subarray(offset, offset + size)));
      offset += size;
    },
  });
}

/**
 * The OpenAI adapter end to end but in process: Conduit's own `createOpenAIAdapter().call` with an
 * injected `fetch` serving the long stream in 16 KB pieces, and the Anthropic SSE bytes read to the
 * end (SSE parsing, chunk validation, state machine, event encoding).
 */
export async function measureAdapterStream(durationMs: number): Promise<TranslationThroughput> {
  const { frames, bytes } = createLongOpenAIStream();
  const config = parseConduitConfig({
    Providers: [
      {
        name: 'mock-openai-long',
        api_base_url: 'http://127.0.0.1:9/long/v1/chat/completions',
        api_key: 'sk-bench',
        models: ['mock-model'],
      },
    ],
    Router: { default: 'mock-openai-long,mock-model' },
  });
  const provider = config.Providers[0];
  if (!provider) throw new Error('the bench provider config did not parse');
  const pipeline = resolveProviderPipeline(
    provider,
    'mock-model',
    createDefaultTransformerRegistry(),
  );
  const adapter = createOpenAIAdapter();
  const request = {
    model: 'mock-openai-long,mock-model',
    max_tokens: 4096,
    stream: true,
    messages: [{ role: 'user', content: 'write a long answer and call two tools' }],
  } as MessagesRequest;
  const rawBody = JSON.stringify(request);
  let eventsPerStream = 0;
  const translate = async () => {
    const result = await adapter.call({
      provider,
      model: 'mock-model',
      request,
      rawBody,
      inboundHeaders: new Headers(),
      apiKey: 'sk-bench',
      estimatedInputTokens: 100,
      pipeline,
      fetch: async () =>
        new Response(toByteStream(bytes, 16_384), {
          headers: { 'content-type': 'text/event-stream' },
        }),
      signal: new AbortController().signal,
      logger: silentLogger,
    });
    if (result.kind !== 'stream') throw new Error('the adapter did not return a stream');
    let events = 0;
    let endedWithNewline = false;
    for await (const piece of result.stream as unknown as AsyncIterable<Uint8Array>) {
      const buffer = Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
      events += countFrameEnds(buffer, endedWithNewline);
      endedWithNewline = buffer[buffer.length - 1] === 10;
    }
    eventsPerStream = events;
  };
  for (let warm = 0; warm < 10; warm++) await translate();
  const times: number[] = [];
  const stopAt = performance.now() + durationMs;
  while (times.length < 5 || performance.now() < stopAt) {
    const started = performance.now();
    await translate();
    times.push(performance.now() - started);
  }
  return summarizeRounds(times, frames.length - 1, eventsPerStream);
}
