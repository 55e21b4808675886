import type { StopReason } from '@conduit/core';
import { type EventSourceMessage, createParser } from 'eventsource-parser';
import { createLatin1Feed, decodeLatin1AsUTF8, readLatin1 } from '../../sse/latin1-sse-text.js';
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

  /**
   * Reads one SSE event. `toText` turns its data into the text to parse (the tap reads the
   * stream as Latin-1 and decodes only the data it parses as UTF-8).
   */
  readEvent(message: EventSourceMessage, toText: (data: string) => string = same): void {
    if (cannotCarryUsage(message)) return;
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(toText(message.data)) as Record<string, unknown>;
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
    const current = this.usage ?? {
      input_tokens: 0,
      output_tokens: 0,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    };
    const pick = (key: keyof UsageCounts) =>
      typeof usage[key] === 'number' ? (usage[key] as number) : current[key];
    this.usage = {
      input_tokens: pick('input_tokens'),
      output_tokens: pick('output_tokens'),
      cache_creation_input_tokens: pick('cache_creation_input_tokens'),
      cache_read_input_tokens: pick('cache_read_input_tokens'),
    };
  }
}

const same = (text: string) => text;

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
 * Passes an Anthropic SSE byte stream through unchanged (the same `Uint8Array`s, no copy) in one
 * stream stage, feeding every event to `reader` on the side. With `onReadError`, a failed upstream
 * read ends the stream normally instead of erroring it; `trailer()` is asked once at the end for
 * text to append (the `error` frame of a cut connection).
 */
export function tapAnthropicEventStream(
  source: ReadableStream<Uint8Array>,
  reader: AnthropicUsageReader,
  options: { onReadError?: (error: unknown) => void; trailer?: () => string } = {},
): ReadableStream<Uint8Array> {
  const upstream = source.getReader();
  // The bytes are read as Latin-1: one character per byte, copied rather than decoded. SSE framing
  // and the event checks are ASCII, so they see the same events as with UTF-8, and only the few
  // events the reader parses get decoded. (A multi-byte character split across reads needs no
  // care: its bytes meet again in the parser's line buffer.)
  const parser = createParser({ onEvent: event => reader.readEvent(event, decodeLatin1AsUTF8) });
  const feed = createLatin1Feed(text => parser.feed(text));
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await upstream.read();
        } catch (error) {
          if (!options.onReadError) throw error;
          options.onReadError(error);
          result = { done: true, value: undefined };
        }
        if (result.done) {
          const trailer = options.trailer?.() ?? '';
          if (trailer !== '') controller.enqueue(new TextEncoder().encode(trailer));
          controller.close();
          return;
        }
        const bytes = result.value;
        controller.enqueue(bytes);
        feed(readLatin1(bytes));
      },
      async cancel(reason) {
        await upstream.cancel(reason).catch(() => undefined);
      },
    },
    { highWaterMark: 0 },
  );
}
