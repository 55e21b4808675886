import type { MessageStreamEvent, ResponseContentBlock, StopReason } from '@conduit/core';
import type { CallOutcome, UsageCounts } from '../provider-adapter.js';
import { conduitThinkingSignature, createMessageId, createToolUseId } from './response-ids.js';

/** The kinds of block that stay open across upstream events. */
export type OpenBlockKind = 'text' | 'thinking' | 'tool_use';

/** What a stream cut before the upstream said it was done reports by default. */
export const incompleteStreamMessage =
  'The upstream stream ended before the response was complete.';

/**
 * Emits a well-formed Anthropic event stream for the provider stream state machines (OpenAI,
 * Gemini, Responses), which keep only what is provider-specific. It owns the message lifecycle
 * (`message_start` once, `message_delta` + `message_stop` or one `error` event at the end), block
 * indexes (increasing from 0, at most one block open, `ping` after the first block start, a
 * `thinking` block always closed with a `signature_delta`) and the usage bookkeeping behind the
 * outcome. Events are pushed onto the caller's array: one array per upstream payload, none per
 * event.
 */
export class AnthropicStreamBuilder {
  private readonly model: string;
  private readonly estimatedInputTokens: number;
  private started = false;
  private pingSent = false;
  private finished = false;
  private nextIndex = 0;
  private openKindValue: OpenBlockKind | undefined;
  private openIndexValue = -1;
  private openSignatureValue: string | undefined;
  private upstreamUsage: UsageCounts | undefined;
  private outputCharacters = 0;
  private errorType: string | undefined;
  private stopReason: StopReason | null = null;

  constructor(options: { model: string; estimatedInputTokens: number }) {
    this.model = options.model;
    this.estimatedInputTokens = options.estimatedInputTokens;
  }

  /** True once `message_start` has been emitted. */
  get isStarted(): boolean {
    return this.started;
  }

  /** True once the stream has ended (finished or failed): later input must be ignored. */
  get isFinished(): boolean {
    return this.finished;
  }

  /** The kind of the open block, if one is open. */
  get openKind(): OpenBlockKind | undefined {
    return this.openKindValue;
  }

  /** The index of the open block (-1 when none is open). */
  get openIndex(): number {
    return this.openIndexValue;
  }

  /** The signature recorded for the open `thinking` block, if any. */
  get openSignature(): string | undefined {
    return this.openSignatureValue;
  }

  /** Upstream-reported usage; without it the outcome estimates usage. */
  setUpstreamUsage(usage: UsageCounts): void {
    this.upstreamUsage = usage;
  }

  /** Counts generated characters towards the output estimate (4 characters a token). */
  countOutput(characters: number): void {
    this.outputCharacters += characters;
  }

  /** `message_start`, once (`responseId` keeps the upstream id for correlation). */
  start(events: MessageStreamEvent[], responseId?: string | null): void {
    if (this.started) return;
    this.started = true;
    events.push({
      type: 'message_start',
      message: {
        id: createMessageId(responseId),
        type: 'message',
        role: 'assistant',
        model: this.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: this.estimatedInputTokens,
          output_tokens: 0,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
        },
      },
    });
  }

  /** Closes the open block and opens an empty `text` block. */
  startText(events: MessageStreamEvent[]): number {
    return this.openBlock(events, 'text', { type: 'text', text: '' });
  }

  /** Closes the open block and opens an empty `thinking` block. */
  startThinking(events: MessageStreamEvent[]): number {
    return this.openBlock(events, 'thinking', { type: 'thinking', thinking: '', signature: '' });
  }

  /** Closes the open block and opens a `tool_use` block (its input follows as JSON fragments). */
  startToolUse(events: MessageStreamEvent[], upstreamId: string | null | undefined, name: string) {
    return this.openBlock(events, 'tool_use', {
      type: 'tool_use',
      id: createToolUseId(upstreamId),
      name,
      input: {},
    });
  }

  /** A `text_delta`, opening a `text` block first unless one is open. */
  appendText(events: MessageStreamEvent[], text: string): void {
    if (this.openKindValue !== 'text') this.startText(events);
    events.push({
      type: 'content_block_delta',
      index: this.openIndexValue,
      delta: { type: 'text_delta', text },
    });
  }

  /** A `thinking_delta` (none for empty text), opening a `thinking` block first unless one is open. */
  appendThinking(events: MessageStreamEvent[], thinking: string): void {
    if (this.openKindValue !== 'thinking') this.startThinking(events);
    if (!thinking) return;
    events.push({
      type: 'content_block_delta',
      index: this.openIndexValue,
      delta: { type: 'thinking_delta', thinking },
    });
  }

  /** Records the signature the open `thinking` block is closed with. */
  setSignature(signature: string): void {
    this.openSignatureValue = signature;
  }

  /** An `input_json_delta` for the `tool_use` block at `index` (which may already be closed). */
  appendToolInput(events: MessageStreamEvent[], index: number, partialJson: string): void {
    events.push({
      type: 'content_block_delta',
      index,
      delta: { type: 'input_json_delta', partial_json: partialJson },
    });
  }

  /**
   * A complete block in one go (start, the `input_json_delta` of a `tool_use`, stop), after
   * closing the open block.
   */
  addCompleteBlock(
    events: MessageStreamEvent[],
    block: ResponseContentBlock,
    partialJson?: string,
  ): void {
    this.start(events);
    this.closeBlock(events);
    const index = this.nextIndex++;
    this.pushBlockStart(events, index, block);
    if (partialJson !== undefined) this.appendToolInput(events, index, partialJson);
    events.push({ type: 'content_block_stop', index });
  }

  /**
   * Closes the open block, if any. A `thinking` block first gets a `signature_delta`: `signature`,
   * else the one recorded with `setSignature`, else Conduit's own.
   */
  closeBlock(events: MessageStreamEvent[], signature?: string): void {
    const kind = this.openKindValue;
    if (kind === undefined) return;
    const index = this.openIndexValue;
    if (kind === 'thinking') {
      events.push({
        type: 'content_block_delta',
        index,
        delta: {
          type: 'signature_delta',
          signature: signature ?? this.openSignatureValue ?? conduitThinkingSignature,
        },
      });
    }
    events.push({ type: 'content_block_stop', index });
    this.openKindValue = undefined;
    this.openIndexValue = -1;
    this.openSignatureValue = undefined;
  }

  /** Ends the message: closes the open block, then `message_delta` (with usage) + `message_stop`. */
  finish(events: MessageStreamEvent[], stopReason: StopReason): MessageStreamEvent[] {
    this.start(events);
    this.closeBlock(events);
    this.stopReason = stopReason;
    events.push(
      {
        type: 'message_delta',
        delta: { stop_reason: stopReason, stop_sequence: null },
        usage: { ...this.usage() },
      },
      { type: 'message_stop' },
    );
    this.finished = true;
    return events;
  }

  /** Ends the stream with an Anthropic `error` event (nothing once the stream has ended). */
  fail(type: 'api_error' | 'overloaded_error', message: string): MessageStreamEvent[] {
    if (this.finished) return [];
    this.finished = true;
    this.errorType = type;
    return [{ type: 'error', error: { type, message } }];
  }

  /** The upstream stream ended early (`failureMessage` when its connection failed). */
  failIncomplete(failureMessage: string | undefined): MessageStreamEvent[] {
    return this.fail('api_error', failureMessage ?? incompleteStreamMessage);
  }

  /** The outcome so far; final once the stream has ended. */
  getOutcome(): CallOutcome {
    return {
      usage: this.usage(),
      usageEstimated: this.upstreamUsage === undefined,
      stopReason: this.finished && this.errorType === undefined ? this.stopReason : null,
      ...(this.errorType === undefined ? {} : { errorType: this.errorType }),
    };
  }

  private usage(): UsageCounts {
    return (
      this.upstreamUsage ?? {
        input_tokens: this.estimatedInputTokens,
        output_tokens: Math.ceil(this.outputCharacters / 4),
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      }
    );
  }

  private openBlock(
    events: MessageStreamEvent[],
    kind: OpenBlockKind,
    block: ResponseContentBlock,
  ): number {
    this.start(events);
    this.closeBlock(events);
    const index = this.nextIndex++;
    this.openKindValue = kind;
    this.openIndexValue = index;
    this.pushBlockStart(events, index, block);
    return index;
  }

  private pushBlockStart(
    events: MessageStreamEvent[],
    index: number,
    block: ResponseContentBlock,
  ): void {
    events.push({ type: 'content_block_start', index, content_block: block });
    if (!this.pingSent) {
      this.pingSent = true;
      events.push({ type: 'ping' });
    }
  }
}
