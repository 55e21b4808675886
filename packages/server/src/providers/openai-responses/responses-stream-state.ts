import type { MessageStreamEvent, ResponseContentBlock, StopReason } from '@conduit/core';
import type { CallOutcome, UsageCounts } from '../provider-adapter.js';
import {
  conduitThinkingSignature,
  createMessageId,
  createToolUseId,
} from '../shared/response-ids.js';
import {
  convertResponsesUsage,
  mapResponsesStopReason,
  reasoningSignature,
  reasoningSummaryText,
} from './convert-responses-response.js';
import type { ResponsesResponse, ResponsesStreamEvent } from './responses-api.js';

interface OpenBlock {
  kind: 'thinking' | 'text' | 'tool';
  index: number;
  /** The output item this block comes from. */
  outputIndex: number | null | undefined;
  /** Delta text received (thinking summary, tool arguments). */
  received: string;
  summaryIndex?: number;
}

/**
 * The Responses API stream (`response.*` events) → Anthropic events. Each output item becomes one
 * block with increasing indexes: reasoning summaries stream as `thinking` (closed with a signature
 * carrying the encrypted reasoning item), `output_text` and refusals as `text`, function calls as
 * `tool_use` with `input_json_delta` fragments. `response.completed` / `response.incomplete` end
 * the message; `response.failed`, `error` or a stream cut before the end give an `error` event.
 */
export class ResponsesStreamState {
  private readonly options: { model: string; estimatedInputTokens: number };
  private started = false;
  private pingSent = false;
  private finished = false;
  private nextIndex = 0;
  private open: OpenBlock | undefined;
  private final: ResponsesResponse | undefined;
  private sawFunctionCalls = false;
  private refused = false;
  private upstreamUsage: UsageCounts | undefined;
  private outputCharacters = 0;
  private errorType: string | undefined;

  constructor(options: { model: string; estimatedInputTokens: number }) {
    this.options = options;
  }

  push(event: ResponsesStreamEvent): MessageStreamEvent[] {
    if (this.finished) return [];
    const events: MessageStreamEvent[] = [];
    switch (event.type) {
      case 'response.created':
      case 'response.in_progress':
        this.ensureStarted(events, event.response?.id);
        break;
      case 'response.output_item.added':
        this.ensureStarted(events, undefined);
        this.itemAdded(events, event);
        break;
      case 'response.reasoning_summary_text.delta':
        this.appendThinking(events, event);
        break;
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        if (event.type === 'response.refusal.delta') this.refused = true;
        this.appendText(events, event);
        break;
      case 'response.function_call_arguments.delta':
        this.appendArguments(events, event.output_index, event.delta ?? '');
        break;
      case 'response.output_item.done':
        this.itemDone(events, event);
        break;
      case 'response.completed':
      case 'response.incomplete':
        this.ensureStarted(events, event.response?.id);
        this.final = event.response ?? {
          status: event.type === 'response.completed' ? 'completed' : 'incomplete',
        };
        if (this.final.usage) this.upstreamUsage = convertResponsesUsage(this.final.usage);
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
    if (this.finished) return [];
    if (!this.final) {
      return this.fail(
        'api_error',
        failureMessage ?? 'The upstream stream ended before the response was complete.',
      );
    }
    const events: MessageStreamEvent[] = [];
    this.closeOpen(events, undefined);
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
      this.startBlock(events, 'thinking', event.output_index, {
        type: 'thinking',
        thinking: '',
        signature: '',
      });
    } else if (item?.type === 'function_call') {
      this.sawFunctionCalls = true;
      this.startBlock(events, 'tool', event.output_index, {
        type: 'tool_use',
        id: createToolUseId(item.call_id ?? item.id),
        name: item.name ?? '',
        input: {},
      });
      events.push({
        type: 'content_block_delta',
        index: this.open!.index,
        delta: { type: 'input_json_delta', partial_json: '' },
      });
      if (item.arguments) this.appendArguments(events, event.output_index, item.arguments);
    }
    // Message items open their text block on the first delta (a message may be empty).
  }

  private appendThinking(events: MessageStreamEvent[], event: ResponsesStreamEvent): void {
    if (this.open?.kind !== 'thinking') {
      this.startBlock(events, 'thinking', event.output_index, {
        type: 'thinking',
        thinking: '',
        signature: '',
      });
    }
    const open = this.open!;
    let text = event.delta ?? '';
    if (
      open.summaryIndex !== undefined &&
      event.summary_index !== undefined &&
      event.summary_index !== open.summaryIndex
    ) {
      text = `\n\n${text}`;
    }
    open.summaryIndex = event.summary_index ?? open.summaryIndex;
    if (!text) return;
    open.received += text;
    this.outputCharacters += text.length;
    events.push({
      type: 'content_block_delta',
      index: open.index,
      delta: { type: 'thinking_delta', thinking: text },
    });
  }

  private appendText(events: MessageStreamEvent[], event: ResponsesStreamEvent): void {
    const text = event.delta ?? '';
    if (!text) return;
    if (this.open?.kind !== 'text')
      this.startBlock(events, 'text', event.output_index, { type: 'text', text: '' });
    this.outputCharacters += text.length;
    events.push({
      type: 'content_block_delta',
      index: this.open!.index,
      delta: { type: 'text_delta', text },
    });
  }

  private appendArguments(
    events: MessageStreamEvent[],
    outputIndex: number | null | undefined,
    fragment: string,
  ): void {
    const open = this.open;
    if (
      open?.kind !== 'tool' ||
      (outputIndex != null && open.outputIndex != null && outputIndex !== open.outputIndex)
    )
      return;
    if (!fragment) return;
    open.received += fragment;
    this.outputCharacters += fragment.length;
    events.push({
      type: 'content_block_delta',
      index: open.index,
      delta: { type: 'input_json_delta', partial_json: fragment },
    });
  }

  private itemDone(events: MessageStreamEvent[], event: ResponsesStreamEvent): void {
    const item = event.item;
    if (!item) return;
    if (item.type === 'reasoning') {
      if (this.open?.kind !== 'thinking') {
        this.startBlock(events, 'thinking', event.output_index, {
          type: 'thinking',
          thinking: '',
          signature: '',
        });
      }
      // A summary that arrived only with the finished item (no deltas) is sent whole.
      const summary = reasoningSummaryText(item);
      if (!this.open!.received && summary) {
        events.push({
          type: 'content_block_delta',
          index: this.open!.index,
          delta: { type: 'thinking_delta', thinking: summary },
        });
      }
      this.closeOpen(events, reasoningSignature(item));
    } else if (item.type === 'function_call') {
      if (this.open?.kind === 'tool' && !this.open.received && item.arguments) {
        this.appendArguments(events, event.output_index, item.arguments);
      }
      this.closeOpen(events, undefined);
    } else if (item.type === 'message') {
      if (this.open?.kind !== 'text') {
        // A message whose text came only with the finished item.
        const text = (item.content ?? []).map(part => part.text ?? part.refusal ?? '').join('');
        if (text)
          this.appendText(events, {
            type: 'response.output_text.delta',
            delta: text,
            output_index: event.output_index,
          });
      }
      if (item.content?.some(part => part.type === 'refusal')) this.refused = true;
      this.closeOpen(events, undefined);
    }
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

  private startBlock(
    events: MessageStreamEvent[],
    kind: OpenBlock['kind'],
    outputIndex: number | null | undefined,
    block: ResponseContentBlock,
  ): void {
    this.ensureStarted(events, undefined);
    this.closeOpen(events, undefined);
    const index = this.nextIndex++;
    this.open = { kind, index, outputIndex, received: '' };
    events.push({ type: 'content_block_start', index, content_block: block });
    if (!this.pingSent) {
      this.pingSent = true;
      events.push({ type: 'ping' });
    }
  }

  private closeOpen(events: MessageStreamEvent[], signature: string | undefined): void {
    const open = this.open;
    if (!open) return;
    if (open.kind === 'thinking') {
      events.push({
        type: 'content_block_delta',
        index: open.index,
        delta: { type: 'signature_delta', signature: signature ?? conduitThinkingSignature },
      });
    }
    events.push({ type: 'content_block_stop', index: open.index });
    this.open = undefined;
  }
}
