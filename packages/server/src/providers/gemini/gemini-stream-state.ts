import type { MessageStreamEvent, StopReason } from '@conduit/core';
import type { CallOutcome } from '../provider-adapter.js';
import { AnthropicStreamBuilder } from '../common/anthropic-stream-builder.js';
import { createToolUseId } from '../common/response-ids.js';
import { convertGeminiUsage } from './convert-gemini-usage.js';
import type { GeminiResponse, GeminiResponsePart } from './gemini-api.js';
import { encodeThoughtSignature } from './gemini-thought-signature.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';

/**
 * The `streamGenerateContent?alt=sse` chunk → Anthropic event state machine. Emits
 * `message_start`, then blocks with increasing indexes (`ping` after the first block start):
 * thought parts stream as `thinking` deltas (closed with a signature), text as `text_delta`,
 * each function call as a whole `tool_use` block, and a signature on a text or call part as a
 * `redacted_thinking` block right after it. Ends with `message_delta` + `message_stop` once a
 * finish reason has arrived; a stream cut before that ends with an `error` event.
 */
export class GeminiStreamState {
  private readonly builder: AnthropicStreamBuilder;
  private finishReason: string | undefined;
  private blocked = false;
  private sawFunctionCalls = false;

  constructor(options: { model: string; estimatedInputTokens: number }) {
    this.builder = new AnthropicStreamBuilder(options);
  }

  /** Translates one parsed chunk. */
  push(chunk: GeminiResponse): MessageStreamEvent[] {
    if (this.builder.isFinished) return [];
    if (chunk.error) {
      const overloaded = chunk.error.code === 503 || chunk.error.status === 'UNAVAILABLE';
      return this.fail(
        overloaded ? 'overloaded_error' : 'api_error',
        `Upstream error: ${chunk.error.message ?? chunk.error.status ?? 'unknown'}`,
      );
    }
    const events: MessageStreamEvent[] = [];
    this.builder.start(events, chunk.responseId);
    if (chunk.usageMetadata) this.builder.setUpstreamUsage(convertGeminiUsage(chunk.usageMetadata));
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
    if (this.builder.isFinished) return [];
    if (this.finishReason === undefined) return this.builder.failIncomplete(failureMessage);
    return this.builder.finish([], this.stopReason());
  }

  /** Ends the stream with an Anthropic `error` event. */
  fail(type: 'api_error' | 'overloaded_error', message: string): MessageStreamEvent[] {
    return this.builder.fail(type, message);
  }

  getOutcome(): CallOutcome {
    return this.builder.getOutcome();
  }

  private stopReason(): StopReason {
    if (this.blocked) return 'refusal';
    return mapGeminiFinishReason(this.finishReason, this.sawFunctionCalls);
  }

  private pushPart(events: MessageStreamEvent[], part: GeminiResponsePart): void {
    const builder = this.builder;
    const text = part.text ?? '';
    if (part.thought === true) {
      // A signature ends a thought: the next thought part opens a new block.
      if (builder.openKind !== 'thinking' || builder.openSignature) builder.startThinking(events);
      if (text) {
        builder.countOutput(text.length);
        builder.appendThinking(events, text);
      }
      if (part.thoughtSignature)
        builder.setSignature(encodeThoughtSignature(part.thoughtSignature));
      return;
    }
    if (part.functionCall) {
      this.sawFunctionCalls = true;
      const input = JSON.stringify(part.functionCall.args ?? {});
      builder.countOutput(input.length);
      builder.addCompleteBlock(
        events,
        {
          type: 'tool_use',
          id: createToolUseId(part.functionCall.id),
          name: part.functionCall.name ?? '',
          input: {},
        },
        input,
      );
      this.pushSignatureBlock(events, part.thoughtSignature);
      return;
    }
    if (text) {
      builder.countOutput(text.length);
      builder.appendText(events, text);
    }
    this.pushSignatureBlock(events, part.thoughtSignature);
  }

  /** A signature on a text or call part: a `redacted_thinking` block right after that part. */
  private pushSignatureBlock(
    events: MessageStreamEvent[],
    signature: string | null | undefined,
  ): void {
    if (!signature) return;
    this.builder.addCompleteBlock(events, {
      type: 'redacted_thinking',
      data: encodeThoughtSignature(signature),
    });
  }
}
