import type { MessageStreamEvent, StopReason } from '@conduit/core';
import {
  type DeltaFraming,
  inputJSONDeltaFraming,
  textDeltaFraming,
} from '../../sse/encode-sse-event.js';
import type { CallOutcome } from '../provider-adapter.js';
import { AnthropicStreamBuilder } from '../common/anthropic-stream-builder.js';
import { convertOpenAIUsage } from './convert-openai-usage.js';
import type { OpenAIChatChunk } from './openai-api.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';

type OpenAIToolCallDelta = NonNullable<
  NonNullable<NonNullable<OpenAIChatChunk['choices']>[number]['delta']>['tool_calls']
>[number];

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
  private readonly builder: AnthropicStreamBuilder;
  private readonly tools = new Map<number, ToolState>();
  private finishReason: string | null | undefined;
  private sawToolCalls = false;

  constructor(options: OpenAIStreamStateOptions) {
    this.builder = new AnthropicStreamBuilder(options);
  }

  /** Translates one parsed chunk. */
  push(chunk: OpenAIChatChunk): MessageStreamEvent[] {
    const builder = this.builder;
    if (builder.isFinished) return [];
    if (chunk.error !== undefined && chunk.error !== null) {
      return this.fail('api_error', describeChunkError(chunk.error));
    }
    const events: MessageStreamEvent[] = [];
    builder.start(events, chunk.id);
    if (chunk.usage) builder.setUpstreamUsage(convertOpenAIUsage(chunk.usage));
    const choice = chunk.choices?.[0];
    if (!choice) return events;
    const delta = choice.delta;
    const reasoning = delta?.reasoning_content ?? delta?.reasoning;
    if (reasoning) {
      builder.countOutput(reasoning.length);
      builder.appendThinking(events, reasoning);
    }
    const text = delta?.content ?? delta?.refusal;
    if (text) {
      builder.countOutput(text.length);
      builder.appendText(events, text);
    }
    delta?.tool_calls?.forEach((toolDelta, position) => {
      this.appendToolDelta(events, toolDelta, position);
    });
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
    return events;
  }

  /**
   * The encoded events of a chunk that carries only a text of `textLength` characters (written
   * as the JSON string `textJSON`; see `ChunkShapes`), exactly what
   * `push` then `encodeSSEEvents` would give, without the event objects; undefined when the chunk
   * would open a block, so the caller takes the ordinary way.
   */
  pushTextDelta(textLength: number, textJSON: string): string | undefined {
    const framing = this.pushTextRun(textLength);
    if (framing === undefined) return undefined;
    return textLength === 0 ? '' : `${framing.head}${textJSON}${framing.tail}`;
  }

  /**
   * Like `pushTextDelta`, for a chunk that carries only one argument fragment of a tool call
   * whose block has started (`id` and `name` as the chunk repeats them, if it does).
   */
  pushToolArgumentsDelta(
    key: number,
    id: string | undefined,
    name: string | undefined,
    fragmentLength: number,
    fragmentJSON: string,
  ): string | undefined {
    const framing = this.pushToolArgumentsRun(key, id, name, fragmentLength);
    if (framing === undefined) return undefined;
    return fragmentLength === 0 ? '' : `${framing.head}${fragmentJSON}${framing.tail}`;
  }

  /**
   * `pushTextDelta` for a run of such chunks (one chunk is a run too), `textLength` characters in
   * all: the text around each chunk's JSON string in its event (the same for the whole run), or
   * undefined when the run's first chunk would take the ordinary way (then so would the others).
   */
  pushTextRun(textLength: number): DeltaFraming | undefined {
    const builder = this.builder;
    if (builder.isFinished || !builder.isStarted || builder.openKind !== 'text') return undefined;
    builder.countOutput(textLength);
    return textDeltaFraming(builder.openIndex);
  }

  /** `pushTextRun` for `pushToolArgumentsDelta`'s chunks. */
  pushToolArgumentsRun(
    key: number,
    id: string | undefined,
    name: string | undefined,
    fragmentLength: number,
  ): DeltaFraming | undefined {
    const blockIndex = this.takeToolFragment(key, id, name, fragmentLength);
    return blockIndex === undefined ? undefined : inputJSONDeltaFraming(blockIndex);
  }

  /** Counts an argument fragment of a started tool block; its block index, or undefined. */
  private takeToolFragment(
    key: number,
    id: string | undefined,
    name: string | undefined,
    fragmentLength: number,
  ): number | undefined {
    if (this.builder.isFinished || !this.builder.isStarted) return undefined;
    const tool = this.tools.get(key);
    if (!tool || tool.blockIndex === undefined || tool.pendingArguments !== '') return undefined;
    // An id or a name the state would record (or a new call) takes the ordinary way.
    if ((id && id !== tool.id) || (name && !tool.name)) return undefined;
    this.sawToolCalls = true;
    this.builder.countOutput(fragmentLength);
    return tool.blockIndex;
  }

  /**
   * The upstream stream ended. `sawDone` says whether `data: [DONE]` arrived. A stream that ends
   * with neither `[DONE]` nor a finish reason was cut: it ends with an `error` event (with
   * `failureMessage` when the connection failed) so the client retries (Claude Code falls back to a
   * non-streaming request).
   */
  end(sawDone: boolean, failureMessage?: string): MessageStreamEvent[] {
    if (this.builder.isFinished) return [];
    if (!sawDone && this.finishReason === undefined) {
      return this.builder.failIncomplete(failureMessage);
    }
    const events: MessageStreamEvent[] = [];
    this.builder.start(events);
    this.flushPendingTools(events);
    return this.builder.finish(events, this.stopReason());
  }

  /** Ends the stream with an Anthropic `error` event. */
  fail(type: 'api_error' | 'overloaded_error', message: string): MessageStreamEvent[] {
    return this.builder.fail(type, message);
  }

  getOutcome(): CallOutcome {
    return this.builder.getOutcome();
  }

  private stopReason(): StopReason {
    return mapOpenAIFinishReason(this.finishReason, this.sawToolCalls);
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
    this.builder.countOutput(argumentsFragment.length);
    if (tool.blockIndex === undefined) {
      if (!tool.name) {
        tool.pendingArguments += argumentsFragment;
        return;
      }
      this.startToolBlock(events, tool);
    }
    const fragment = tool.pendingArguments + argumentsFragment;
    tool.pendingArguments = '';
    // The block may no longer be the open one: parallel calls interleave their fragments.
    if (fragment) this.builder.appendToolInput(events, tool.blockIndex!, fragment);
  }

  private startToolBlock(events: MessageStreamEvent[], tool: ToolState): void {
    tool.blockIndex = this.builder.startToolUse(events, tool.id, tool.name);
    this.builder.appendToolInput(events, tool.blockIndex, '');
  }

  /** Tools whose name never arrived still become blocks, so their arguments are not lost. */
  private flushPendingTools(events: MessageStreamEvent[]): void {
    for (const tool of this.tools.values()) {
      if (tool.blockIndex !== undefined) continue;
      tool.name = tool.name || 'unknown_tool';
      this.startToolBlock(events, tool);
      if (tool.pendingArguments) {
        this.builder.appendToolInput(events, tool.blockIndex!, tool.pendingArguments);
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
