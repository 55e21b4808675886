import type { StopReason } from '@conduit/core';
import type { EventSourceMessage } from 'eventsource-parser';
import { createMarkedEventScanner } from '../../sse/marked-sse-events.js';
import {
  type ByteSource,
  byteSourceToWebStream,
  endedRead,
} from '../../streaming/byte-source-stream.js';
import type { CallOutcome, UsageCounts } from '../provider-adapter.js';

/**
 * Reads usage and the stop reason from Anthropic SSE events or a JSON message, without changing
 * them. `message_start` carries the input side, `message_delta` the cumulative totals.
 */
export class AnthropicUsageReader {
  private usage: UsageCounts | undefined;
  private stopReason: StopReason | null = null;
  private sawMessageStop = false;
  private errorType: string | undefined;
  private readonly estimatedInputTokens: number | (() => number);

  /**
   * @param estimatedInputTokens reported when the upstream reports no usage; as a function it is
   * called only then (the count is a tokenization the usual answer does not need).
   */
  constructor(estimatedInputTokens: number | (() => number)) {
    this.estimatedInputTokens = estimatedInputTokens;
  }

  /** Reads one SSE event. */
  readEvent(message: EventSourceMessage): void {
    if (cannotCarryUsage(message)) return;
    // Every stream's last event, in the form Anthropic sends it: nothing to parse.
    if (message.data === messageStopData) {
      this.sawMessageStop = true;
      return;
    }
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(message.data) as Record<string, unknown>;
    } catch {
      return;
    }
    switch (data.type) {
      case 'message_start':
        this.readUsage((data.message as { usage?: unknown } | undefined)?.usage);
        break;
      case 'message_delta':
        this.readUsage(data.usage);
        this.stopReason =
          ((data.delta as { stop_reason?: StopReason } | undefined)?.stop_reason ?? null) ||
          this.stopReason;
        break;
      case 'message_stop':
        this.sawMessageStop = true;
        break;
      case 'error':
        this.errorType = String(
          (data.error as { type?: unknown } | undefined)?.type ?? 'api_error',
        );
        break;
    }
  }

  /** Reads a non-streaming message. */
  readMessage(message: { usage?: unknown; stop_reason?: StopReason | null }): void {
    this.readUsage(message.usage);
    this.stopReason = message.stop_reason ?? null;
    this.sawMessageStop = true;
  }

  getOutcome(): CallOutcome {
    const errorType = this.errorType ?? (this.sawMessageStop ? undefined : 'stream_incomplete');
    return {
      usage: this.usage ?? {
        input_tokens:
          typeof this.estimatedInputTokens === 'number'
            ? this.estimatedInputTokens
            : this.estimatedInputTokens(),
        output_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
      usageEstimated: this.usage === undefined,
      stopReason: this.sawMessageStop ? this.stopReason : null,
      ...(errorType === undefined ? {} : { errorType }),
    };
  }

  private readUsage(raw: unknown): void {
    if (!raw || typeof raw !== 'object') return;
    const usage = raw as Record<string, unknown>;
    const current = this.usage;
    this.usage = {
      input_tokens: pickCount(usage.input_tokens, current?.input_tokens),
      output_tokens: pickCount(usage.output_tokens, current?.output_tokens),
      cache_creation_input_tokens: pickCount(
        usage.cache_creation_input_tokens,
        current?.cache_creation_input_tokens,
      ),
      cache_read_input_tokens: pickCount(
        usage.cache_read_input_tokens,
        current?.cache_read_input_tokens,
      ),
    };
  }
}

/** A reported count, else the count so far (0 before any). */
function pickCount(reported: unknown, current: number | undefined): number {
  return typeof reported === 'number' ? reported : (current ?? 0);
}

const messageStopData = '{"type":"message_stop"}';

/**
 * True for an event that cannot matter to the reader, decided without parsing its JSON: a content
 * event (`content_block_*`, `ping`: most of a stream's events, none carries usage, a stop reason or
 * an error) whose data does not even contain the words the types that matter are spelled with.
 */
function cannotCarryUsage(message: EventSourceMessage): boolean {
  const name = message.event;
  return (
    (name === 'content_block_delta' ||
      name === 'content_block_start' ||
      name === 'content_block_stop' ||
      name === 'ping') &&
    !message.data.includes('message_') &&
    !message.data.includes('error')
  );
}

/**
 * Pieces of the words in every event the reader acts on: `ge_` of `message_start`,
 * `message_delta` and `message_stop`, `rror` of `error` (in the `event:` line and in the data's
 * `type`). Short pieces whose first letter is not among the most frequent in text keep the
 * search a `memchr` skim (`message_` or `error` as needles are 10 to 40 times slower); an event
 * found by mistake is only parsed and ignored.
 */
const usageMarkers = ['ge_', 'rror'];

/**
 * Passes an Anthropic SSE byte stream through unchanged (the same `Uint8Array`s, no copy) in one
 * stream stage, feeding every event to `reader` on the side. With `onReadError`, a failed upstream
 * read ends the stream normally instead of erroring it; `trailer()` is asked once at the end for
 * text to append (the `error` frame of a cut connection).
 */
export function tapAnthropicEventStream(
  source: ByteSource,
  reader: AnthropicUsageReader,
  options: { onReadError?: (error: unknown) => void; trailer?: () => string } = {},
): ReadableStream<Uint8Array> {
  return byteSourceToWebStream(tapAnthropicEventSource(source, reader, options));
}

/** {@link tapAnthropicEventStream} as a byte source (no web stream): one upstream read per read. */
export function tapAnthropicEventSource(
  source: ByteSource,
  reader: AnthropicUsageReader,
  options: { onReadError?: (error: unknown) => void; trailer?: () => string } = {},
): ByteSource {
  const upstream = source.getReader();
  // Only the events whose frame spells a word the reader acts on are framed and parsed (the
  // event types that matter are `message_*` and `error`); the content events in between, nearly
  // all of a stream, are skipped as bytes (see `createMarkedEventScanner`).
  const scanner = createMarkedEventScanner(usageMarkers, event => reader.readEvent(event));
  let finished = false;
  let cancelled = false;
  const read = async (): Promise<ReadableStreamReadResult<Uint8Array>> => {
    if (finished || cancelled) return endedRead;
    let result: ReadableStreamReadResult<Uint8Array>;
    try {
      result = await upstream.read();
    } catch (error) {
      if (cancelled) return endedRead;
      if (!options.onReadError) throw error;
      options.onReadError(error);
      result = endedRead;
    }
    if (cancelled) return endedRead;
    if (result.done) {
      finished = true;
      const trailer = options.trailer?.() ?? '';
      return trailer === '' ? endedRead : { done: false, value: new TextEncoder().encode(trailer) };
    }
    const bytes = result.value;
    scanner.push(bytes);
    return result;
  };
  return {
    getReader: () => ({
      read,
      async cancel(reason) {
        cancelled = true;
        await upstream.cancel(reason).catch(() => undefined);
      },
    }),
  };
}
