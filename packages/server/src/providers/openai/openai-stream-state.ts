import type { ContentBlockDelta, MessageStreamEvent, StopReason } from '@conduit/core';
import {
  conduitThinkingSignature,
  createMessageId,
  createToolUseId,
} from '../shared/response-ids.js';
import type { CallOutcome, UsageCounts } from '../provider-adapter.js';
import { convertOpenAIUsage } from './convert-openai-usage.js';
import type { OpenAIChatChunk } from './openai-api.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';

type OpenAIToolCallDelta = NonNullable<
  NonNullable<NonNullable<OpenAIChatChunk['choices']>[number]['delta']>['tool_calls']
>[number];

type OpenBlock = { kind: 'text' | 'thinking'; index: number } | { kind: 'tool'; index: number };

interface ToolState {
  id: string;
  name: string;
  blockIndex: number | undefined;
  /** Arguments received before the tool's name was known. */
  pendingArguments: string;
}

export interface OpenAIStreamStateOptions {
  model: string;
  /** Reported in `message_start` (and at the end when the upstream sends no usage). */
  estimatedInputTokens: number;
}

/**
 * The OpenAI chunk → Anthropic event state machine. Emits, in the order the official SDK and
 * Claude Code expect: `message_start`, then per block `content_block_start`, deltas and
 * `content_block_stop` with increasing indexes (`ping` after the first block start), then
 * `message_delta` and `message_stop`. Reasoning becomes a `thinking` block closed with a
 * `signature_delta`; parallel tool calls become one `tool_use` block each, their argument
 * fragments forwarded as `input_json_delta`.
 */
export class OpenAIStreamState {
  private readonly options: OpenAIStreamStateOptions;
  private started = false;
  private pingSent = false;
  private finished = false;
  private nextIndex = 0;
  private open: OpenBlock | undefined;
  private readonly tools = new Map<number, ToolState>();
  private finishReason: string | null | undefined;
  private sawToolCalls = false;
  private upstreamUsage: UsageCounts | undefined;
  private outputCharacters = 0;
  private errorType: string | undefined;

  constructor(options: OpenAIStreamStateOptions) {
    this.options = options;
  }

  /** Translates one parsed chunk. */
  push(chunk: OpenAIChatChunk): MessageStreamEvent[] {
    if (this.finished) return [];
    if (chunk.error !== undefined && chunk.error !== null) {
      return this.fail('api_error', describeChunkError(chunk.error));
    }
    const events: MessageStreamEvent[] = [];
    this.ensureStarted(events, chunk);
    if (chunk.usage) this.upstreamUsage = convertOpenAIUsage(chunk.usage);
    const choice = chunk.choices?.[0];
    if (!choice) return events;
    const delta = choice.delta;
    const reasoning = delta?.reasoning_content ?? delta?.reasoning;
    if (reasoning)
      this.appendDelta(events, 'thinking', { type: 'thinking_delta', thinking: reasoning });
    const text = delta?.content ?? delta?.refusal;
    if (text) this.appendDelta(events, 'text', { type: 'text_delta', text });
    delta?.tool_calls?.forEach((toolDelta, position) => {
      this.appendToolDelta(events, toolDelta, position);
    });
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    return events;
  }

  /**
   * The upstream stream ended. `sawDone` says whether `data: [DONE]` arrived. A stream that ends
   * with neither `[DONE]` nor a finish reason was cut: it ends with an `error` event (with
   * `failureMessage` when the connection failed) so the client retries (Claude Code falls back to a
   * non-streaming request).
   */
  end(sawDone: boolean, failureMessage?: string): MessageStreamEvent[] {
    if (this.finished) return [];
    if (!sawDone && this.finishReason === undefined) {
      return this.fail(
        'api_error',
        failureMessage ?? 'The upstream stream ended before the response was complete.',
      );
    }
    const events: MessageStreamEvent[] = [];
    this.ensureStarted(events, undefined);
    this.flushPendingTools(events);
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
    return mapOpenAIFinishReason(this.finishReason, this.sawToolCalls);
  }

  private ensureStarted(events: MessageStreamEvent[], chunk: OpenAIChatChunk | undefined): void {
    if (this.started) return;
    this.started = true;
    events.push({
      type: 'message_start',
      message: {
        id: createMessageId(chunk?.id),
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
    block: OpenBlock,
    contentBlock: Extract<MessageStreamEvent, { type: 'content_block_start' }>['content_block'],
  ): void {
    this.closeOpenBlock(events);
    this.open = block;
    events.push({ type: 'content_block_start', index: block.index, content_block: contentBlock });
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
        delta: { type: 'signature_delta', signature: conduitThinkingSignature },
      });
    }
    events.push({ type: 'content_block_stop', index: open.index });
    this.open = undefined;
  }

  private appendDelta(
    events: MessageStreamEvent[],
    kind: 'text' | 'thinking',
    delta: ContentBlockDelta,
  ): void {
    if (this.open?.kind !== kind) {
      const index = this.nextIndex++;
      this.startBlock(
        events,
        { kind, index },
        kind === 'text'
          ? { type: 'text', text: '' }
          : { type: 'thinking', thinking: '', signature: '' },
      );
    }
    this.outputCharacters += delta.type === 'text_delta' ? delta.text.length : 0;
    if (delta.type === 'thinking_delta') this.outputCharacters += delta.thinking.length;
    events.push({ type: 'content_block_delta', index: this.open!.index, delta });
  }

  private appendToolDelta(
    events: MessageStreamEvent[],
    toolDelta: OpenAIToolCallDelta,
    position: number,
  ): void {
    this.sawToolCalls = true;
    const key = toolDelta.index ?? position;
    let tool = this.tools.get(key);
    // A new id on a known index is a new call from vendors that reuse index 0 for every call.
    if (
      !tool ||
      (toolDelta.id && tool.id && toolDelta.id !== tool.id && tool.blockIndex !== undefined)
    ) {
      tool = { id: toolDelta.id ?? '', name: '', blockIndex: undefined, pendingArguments: '' };
      this.tools.set(key, tool);
    }
    if (toolDelta.id && !tool.id) tool.id = toolDelta.id;
    if (toolDelta.function?.name && !tool.name) tool.name = toolDelta.function.name;
    const argumentsFragment = toolDelta.function?.arguments ?? '';
    this.outputCharacters += argumentsFragment.length;
    if (tool.blockIndex === undefined) {
      if (!tool.name) {
        tool.pendingArguments += argumentsFragment;
        return;
      }
      this.startToolBlock(events, tool);
    }
    const fragment = tool.pendingArguments + argumentsFragment;
    tool.pendingArguments = '';
    if (fragment) {
      events.push({
        type: 'content_block_delta',
        index: tool.blockIndex!,
        delta: { type: 'input_json_delta', partial_json: fragment },
      });
    }
  }

  private startToolBlock(events: MessageStreamEvent[], tool: ToolState): void {
    tool.blockIndex = this.nextIndex++;
    this.startBlock(
      events,
      { kind: 'tool', index: tool.blockIndex },
      { type: 'tool_use', id: createToolUseId(tool.id), name: tool.name, input: {} },
    );
    events.push({
      type: 'content_block_delta',
      index: tool.blockIndex,
      delta: { type: 'input_json_delta', partial_json: '' },
    });
  }

  /** Tools whose name never arrived still become blocks, so their arguments are not lost. */
  private flushPendingTools(events: MessageStreamEvent[]): void {
    for (const tool of this.tools.values()) {
      if (tool.blockIndex !== undefined) continue;
      tool.name = tool.name || 'unknown_tool';
      this.startToolBlock(events, tool);
      if (tool.pendingArguments) {
        events.push({
          type: 'content_block_delta',
          index: tool.blockIndex!,
          delta: { type: 'input_json_delta', partial_json: tool.pendingArguments },
        });
        tool.pendingArguments = '';
      }
    }
  }
}

function describeChunkError(error: unknown): string {
  if (typeof error === 'string') return `Upstream error: ${error}`;
  if (error && typeof error === 'object' && 'message' in error) {
    return `Upstream error: ${String((error as { message: unknown }).message)}`;
  }
  return 'Upstream error during streaming.';
}
