import type { MessageStreamEvent, ResponseContentBlock, StopReason } from '@conduit/core';
import type { CallOutcome, UsageCounts } from '../provider-adapter.js';
import {
  conduitThinkingSignature,
  createMessageId,
  createToolUseId,
} from '../shared/response-ids.js';
import { convertGeminiUsage } from './convert-gemini-usage.js';
import type { GeminiResponse, GeminiResponsePart } from './gemini-api.js';
import { encodeThoughtSignature } from './gemini-thought-signature.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';

interface OpenBlock {
  kind: 'text' | 'thinking';
  index: number;
  /** The encoded Gemini signature for a thinking block, once it arrived. */
  signature?: string;
}

/**
 * The `streamGenerateContent?alt=sse` chunk → Anthropic event state machine. Emits
 * `message_start`, then blocks with increasing indexes (`ping` after the first block start):
 * thought parts stream as `thinking` deltas (closed with a signature), text as `text_delta`,
 * each function call as a whole `tool_use` block, and a signature on a text or call part as a
 * `redacted_thinking` block right after it. Ends with `message_delta` + `message_stop` once a
 * finish reason has arrived; a stream cut before that ends with an `error` event.
 */
export class GeminiStreamState {
  private readonly options: { model: string; estimatedInputTokens: number };
  private started = false;
  private pingSent = false;
  private finished = false;
  private nextIndex = 0;
  private open: OpenBlock | undefined;
  private finishReason: string | undefined;
  private blocked = false;
  private sawFunctionCalls = false;
  private upstreamUsage: UsageCounts | undefined;
  private outputCharacters = 0;
  private errorType: string | undefined;

  constructor(options: { model: string; estimatedInputTokens: number }) {
    this.options = options;
  }

  /** Translates one parsed chunk. */
  push(chunk: GeminiResponse): MessageStreamEvent[] {
    if (this.finished) return [];
    if (chunk.error) {
      const overloaded = chunk.error.code === 503 || chunk.error.status === 'UNAVAILABLE';
      return this.fail(
        overloaded ? 'overloaded_error' : 'api_error',
        `Upstream error: ${chunk.error.message ?? chunk.error.status ?? 'unknown'}`,
      );
    }
    const events: MessageStreamEvent[] = [];
    this.ensureStarted(events, chunk.responseId);
    if (chunk.usageMetadata) this.upstreamUsage = convertGeminiUsage(chunk.usageMetadata);
    if (chunk.promptFeedback?.blockReason) {
      this.blocked = true;
      this.finishReason ??= chunk.promptFeedback.blockReason;
    }
    const candidate = chunk.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) this.pushPart(events, part);
    if (candidate?.finishReason) this.finishReason = candidate.finishReason;
    return events;
  }

  /** The upstream stream ended (`failureMessage` when the connection failed). */
  end(failureMessage?: string): MessageStreamEvent[] {
    if (this.finished) return [];
    if (this.finishReason === undefined) {
      return this.fail(
        'api_error',
        failureMessage ?? 'The upstream stream ended before the response was complete.',
      );
    }
    const events: MessageStreamEvent[] = [];
    this.ensureStarted(events, undefined);
    this.closeOpenBlock(events);
    const { usage } = this.getOutcome();
    events.push(
      {
        type: 'message_delta',
        delta: { stop_reason: this.stopReason(), stop_sequence: null },
        usage: { ...usage },
      },
      { type: 'message_stop' },
    );
    this.finished = true;
    return events;
  }

  /** Ends the stream with an Anthropic `error` event. */
  fail(type: 'api_error' | 'overloaded_error', message: string): MessageStreamEvent[] {
    if (this.finished) return [];
    this.finished = true;
    this.errorType = type;
    return [{ type: 'error', error: { type, message } }];
  }

  getOutcome(): CallOutcome {
    const usage = this.upstreamUsage ?? {
      input_tokens: this.options.estimatedInputTokens,
      output_tokens: Math.ceil(this.outputCharacters / 4),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    };
    return {
      usage,
      usageEstimated: this.upstreamUsage === undefined,
      stopReason: this.finished && this.errorType === undefined ? this.stopReason() : null,
      ...(this.errorType === undefined ? {} : { errorType: this.errorType }),
    };
  }

  private stopReason(): StopReason {
    if (this.blocked) return 'refusal';
    return mapGeminiFinishReason(this.finishReason, this.sawFunctionCalls);
  }

  private pushPart(events: MessageStreamEvent[], part: GeminiResponsePart): void {
    const text = part.text ?? '';
    if (part.thought === true) {
      if (this.open?.kind !== 'thinking' || this.open.signature)
        this.startDeltaBlock(events, 'thinking');
      if (text) {
        this.outputCharacters += text.length;
        events.push({
          type: 'content_block_delta',
          index: this.open!.index,
          delta: { type: 'thinking_delta', thinking: text },
        });
      }
      if (part.thoughtSignature)
        this.open!.signature = encodeThoughtSignature(part.thoughtSignature);
      return;
    }
    if (part.functionCall) {
      this.sawFunctionCalls = true;
      const index = this.nextIndex++;
      const input = JSON.stringify(part.functionCall.args ?? {});
      this.outputCharacters += input.length;
      this.startBlock(events, index, {
        type: 'tool_use',
        id: createToolUseId(part.functionCall.id),
        name: part.functionCall.name ?? '',
        input: {},
      });
      events.push(
        {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: input },
        },
        { type: 'content_block_stop', index },
      );
      this.pushSignatureBlock(events, part.thoughtSignature);
      return;
    }
    if (text) {
      if (this.open?.kind !== 'text') this.startDeltaBlock(events, 'text');
      this.outputCharacters += text.length;
      events.push({
        type: 'content_block_delta',
        index: this.open!.index,
        delta: { type: 'text_delta', text },
      });
    }
    this.pushSignatureBlock(events, part.thoughtSignature);
  }

  /** A signature on a text or call part: a `redacted_thinking` block right after that part. */
  private pushSignatureBlock(
    events: MessageStreamEvent[],
    signature: string | null | undefined,
  ): void {
    if (!signature) return;
    const index = this.nextIndex++;
    this.startBlock(events, index, {
      type: 'redacted_thinking',
      data: encodeThoughtSignature(signature),
    });
    events.push({ type: 'content_block_stop', index });
  }

  private ensureStarted(events: MessageStreamEvent[], responseId: string | null | undefined): void {
    if (this.started) return;
    this.started = true;
    events.push({
      type: 'message_start',
      message: {
        id: createMessageId(responseId),
        type: 'message',
        role: 'assistant',
        model: this.options.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: this.options.estimatedInputTokens,
          output_tokens: 0,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
        },
      },
    });
  }

  private startDeltaBlock(events: MessageStreamEvent[], kind: 'text' | 'thinking'): void {
    const index = this.nextIndex++;
    this.startBlock(
      events,
      index,
      kind === 'text'
        ? { type: 'text', text: '' }
        : { type: 'thinking', thinking: '', signature: '' },
    );
    this.open = { kind, index };
  }

  private startBlock(
    events: MessageStreamEvent[],
    index: number,
    block: ResponseContentBlock,
  ): void {
    this.closeOpenBlock(events);
    events.push({ type: 'content_block_start', index, content_block: block });
    if (!this.pingSent) {
      this.pingSent = true;
      events.push({ type: 'ping' });
    }
  }

  private closeOpenBlock(events: MessageStreamEvent[]): void {
    const open = this.open;
    if (!open) return;
    if (open.kind === 'thinking') {
      events.push({
        type: 'content_block_delta',
        index: open.index,
        delta: { type: 'signature_delta', signature: open.signature ?? conduitThinkingSignature },
      });
    }
    events.push({ type: 'content_block_stop', index: open.index });
    this.open = undefined;
  }
}
