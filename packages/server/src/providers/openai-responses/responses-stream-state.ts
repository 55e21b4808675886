import type { MessageStreamEvent, StopReason } from '@conduit/core';
import type { CallOutcome } from '../provider-adapter.js';
import { AnthropicStreamBuilder } from '../common/anthropic-stream-builder.js';
import {
  convertResponsesUsage,
  mapResponsesStopReason,
  reasoningSignature,
  reasoningSummaryText,
} from './convert-responses-response.js';
import type { ResponsesResponse, ResponsesStreamEvent } from './responses-api.js';

/**
 * The Responses API stream (`response.*` events) → Anthropic events. Each output item becomes one
 * block with increasing indexes: reasoning summaries stream as `thinking` (closed with a signature
 * carrying the encrypted reasoning item), `output_text` and refusals as `text`, function calls as
 * `tool_use` with `input_json_delta` fragments. `response.completed` / `response.incomplete` end
 * the message; `response.failed`, `error` or a stream cut before the end give an `error` event.
 */
export class ResponsesStreamState {
  private readonly builder: AnthropicStreamBuilder;
  /** The output item the open block comes from. */
  private openOutputIndex: number | null | undefined;
  /** Delta text received for the open block (thinking summary, tool arguments). */
  private openReceived = '';
  /** The summary part the open thinking block is streaming. */
  private openSummaryIndex: number | undefined;
  private final: ResponsesResponse | undefined;
  private sawFunctionCalls = false;
  private refused = false;

  constructor(options: { model: string; estimatedInputTokens: number }) {
    this.builder = new AnthropicStreamBuilder(options);
  }

  push(event: ResponsesStreamEvent): MessageStreamEvent[] {
    if (this.builder.isFinished) return [];
    const events: MessageStreamEvent[] = [];
    switch (event.type) {
      case 'response.created':
      case 'response.in_progress':
        this.builder.start(events, event.response?.id);
        break;
      case 'response.output_item.added':
        this.builder.start(events, undefined);
        this.itemAdded(events, event);
        break;
      case 'response.reasoning_summary_text.delta':
        this.appendThinking(events, event);
        break;
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        if (event.type === 'response.refusal.delta') this.refused = true;
        this.appendText(events, event.delta ?? '', event.output_index);
        break;
      case 'response.function_call_arguments.delta':
        this.appendArguments(events, event.output_index, event.delta ?? '');
        break;
      case 'response.output_item.done':
        this.itemDone(events, event);
        break;
      case 'response.completed':
      case 'response.incomplete':
        this.builder.start(events, event.response?.id);
        this.final = event.response ?? {
          status: event.type === 'response.completed' ? 'completed' : 'incomplete',
        };
        if (this.final.usage)
          this.builder.setUpstreamUsage(convertResponsesUsage(this.final.usage));
        break;
      case 'response.failed':
        return [
          ...events,
          ...this.fail(
            'api_error',
            `Upstream error: ${event.response?.error?.message ?? 'the response failed'}`,
          ),
        ];
      case 'error':
        return [
          ...events,
          ...this.fail('api_error', `Upstream error: ${event.message ?? event.code ?? 'unknown'}`),
        ];
      default:
        break;
    }
    return events;
  }

  /** The upstream stream ended: finish the message, or report the cut. */
  end(failureMessage?: string): MessageStreamEvent[] {
    if (this.builder.isFinished) return [];
    if (!this.final) return this.builder.failIncomplete(failureMessage);
    return this.builder.finish([], this.stopReason());
  }

  fail(type: 'api_error' | 'overloaded_error', message: string): MessageStreamEvent[] {
    return this.builder.fail(type, message);
  }

  getOutcome(): CallOutcome {
    return this.builder.getOutcome();
  }

  private stopReason(): StopReason {
    return mapResponsesStopReason({
      status: this.final?.status,
      incompleteReason: this.final?.incomplete_details?.reason,
      hasFunctionCalls: this.sawFunctionCalls,
      refused: this.refused,
    });
  }

  private itemAdded(events: MessageStreamEvent[], event: ResponsesStreamEvent): void {
    const item = event.item;
    if (item?.type === 'reasoning') {
      this.builder.startThinking(events);
      this.trackOpenBlock(event.output_index);
    } else if (item?.type === 'function_call') {
      this.sawFunctionCalls = true;
      const index = this.builder.startToolUse(events, item.call_id ?? item.id, item.name ?? '');
      this.trackOpenBlock(event.output_index);
      this.builder.appendToolInput(events, index, '');
      if (item.arguments) this.appendArguments(events, event.output_index, item.arguments);
    }
    // Message items open their text block on the first delta (a message may be empty).
  }

  private appendThinking(events: MessageStreamEvent[], event: ResponsesStreamEvent): void {
    this.ensureThinkingOpen(events, event.output_index);
    let text = event.delta ?? '';
    if (
      this.openSummaryIndex !== undefined &&
      event.summary_index !== undefined &&
      event.summary_index !== this.openSummaryIndex
    ) {
      text = `\n\n${text}`;
    }
    this.openSummaryIndex = event.summary_index ?? this.openSummaryIndex;
    if (!text) return;
    this.openReceived += text;
    this.builder.countOutput(text.length);
    this.builder.appendThinking(events, text);
  }

  private appendText(
    events: MessageStreamEvent[],
    text: string,
    outputIndex: number | null | undefined,
  ): void {
    if (!text) return;
    if (this.builder.openKind !== 'text') {
      this.builder.startText(events);
      this.trackOpenBlock(outputIndex);
    }
    this.builder.countOutput(text.length);
    this.builder.appendText(events, text);
  }

  private appendArguments(
    events: MessageStreamEvent[],
    outputIndex: number | null | undefined,
    fragment: string,
  ): void {
    if (
      this.builder.openKind !== 'tool_use' ||
      (outputIndex != null && this.openOutputIndex != null && outputIndex !== this.openOutputIndex)
    )
      return;
    if (!fragment) return;
    this.openReceived += fragment;
    this.builder.countOutput(fragment.length);
    this.builder.appendToolInput(events, this.builder.openIndex, fragment);
  }

  private itemDone(events: MessageStreamEvent[], event: ResponsesStreamEvent): void {
    const item = event.item;
    if (!item) return;
    if (item.type === 'reasoning') {
      this.ensureThinkingOpen(events, event.output_index);
      // A summary that arrived only with the finished item (no deltas) is sent whole.
      const summary = reasoningSummaryText(item);
      if (!this.openReceived && summary) this.builder.appendThinking(events, summary);
      this.builder.closeBlock(events, reasoningSignature(item));
    } else if (item.type === 'function_call') {
      if (this.builder.openKind === 'tool_use' && !this.openReceived && item.arguments) {
        this.appendArguments(events, event.output_index, item.arguments);
      }
      this.builder.closeBlock(events);
    } else if (item.type === 'message') {
      if (this.builder.openKind !== 'text') {
        // A message whose text came only with the finished item.
        const text = (item.content ?? []).map(part => part.text ?? part.refusal ?? '').join('');
        this.appendText(events, text, event.output_index);
      }
      if (item.content?.some(part => part.type === 'refusal')) this.refused = true;
      this.builder.closeBlock(events);
    }
  }

  private ensureThinkingOpen(
    events: MessageStreamEvent[],
    outputIndex: number | null | undefined,
  ): void {
    if (this.builder.openKind === 'thinking') return;
    this.builder.startThinking(events);
    this.trackOpenBlock(outputIndex);
  }

  /** Per-block bookkeeping for the block just opened from the output item at `outputIndex`. */
  private trackOpenBlock(outputIndex: number | null | undefined): void {
    this.openOutputIndex = outputIndex;
    this.openReceived = '';
    this.openSummaryIndex = undefined;
  }
}
