import type { StopReason } from '@conduit/core';
import { type EventSourceMessage, createParser } from 'eventsource-parser';
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
  private readonly estimatedInputTokens: number;

  constructor(estimatedInputTokens: number) {
    this.estimatedInputTokens = estimatedInputTokens;
  }

  /** Reads one SSE event. */
  readEvent(message: EventSourceMessage): void {
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
        input_tokens: this.estimatedInputTokens,
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

/** A pass-through byte stream that feeds every SSE event to `reader` on the side. */
export function createUsageTapStream(
  reader: AnthropicUsageReader,
): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const parser = createParser({ onEvent: event => reader.readEvent(event) });
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      controller.enqueue(chunk);
      parser.feed(decoder.decode(chunk, { stream: true }));
    },
    flush() {
      parser.feed(decoder.decode());
    },
  });
}
