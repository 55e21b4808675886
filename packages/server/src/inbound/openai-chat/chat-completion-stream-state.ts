import type { MessageStreamEvent } from '@conduit/core';
import { incompleteStreamMessage } from '../common/anthropic-stream-event.js';
import {
  type AnthropicUsageLike,
  convertToChatUsage,
  mergeAnthropicUsage,
} from '../common/convert-openai-usage-out.js';
import { mapStopReasonToFinishReason } from '../common/map-stop-reason-to-finish-reason.js';
import { type OpenAIErrorBody, toOpenAIErrorBody } from '../common/openai-error.js';
import type { ChatCompletionChunk, ChatCompletionChunkDelta } from './chat-completions-api.js';
import { chatCompletionId } from './convert-messages-to-chat-completion.js';

/** One SSE frame of a chat completion stream: a chunk, an error, or the closing `[DONE]`. */
export type ChatStreamFrame = ChatCompletionChunk | OpenAIErrorBody | '[DONE]';

/**
 * Anthropic stream events → `chat.completion.chunk`s, one event at a time (pure: no I/O).
 *
 * Tool calls get consecutive `index` values in the order their `tool_use` blocks start; the first
 * chunk of a call carries `id`, `type` and `name`, later ones only argument pieces, as OpenAI
 * streams them. With `includeUsage`, a last chunk with empty `choices` carries the usage.
 * An `error` event, or an end without `message_stop`, ends the stream with an error frame (the
 * OpenAI SDKs throw it as an `APIError`) and no `[DONE]`.
 */
export class ChatCompletionStreamState {
  private readonly includeUsage: boolean;
  private readonly created: number;
  private id = chatCompletionId('msg_pending');
  private model = '';
  private usage: AnthropicUsageLike = {};
  private stopReason: string | null = null;
  private readonly toolIndexByBlock = new Map<number, number>();
  private finished = false;

  constructor(options: { includeUsage: boolean; created: number }) {
    this.includeUsage = options.includeUsage;
    this.created = options.created;
  }

  onEvent(event: MessageStreamEvent): ChatStreamFrame[] {
    if (this.finished) return [];
    switch (event.type) {
      case 'message_start':
        this.id = chatCompletionId(event.message.id);
        this.model = event.message.model;
        mergeAnthropicUsage(this.usage, event.message.usage);
        return [this.chunk({ role: 'assistant', content: '' })];
      case 'content_block_start':
        return this.onBlockStart(event.index, event.content_block);
      case 'content_block_delta':
        return this.onBlockDelta(event.index, event.delta);
      case 'message_delta':
        this.stopReason = event.delta.stop_reason ?? this.stopReason;
        mergeAnthropicUsage(this.usage, event.usage);
        return [];
      case 'message_stop':
        return this.complete();
      case 'error':
        return this.fail(event.error);
      default:
        return [];
    }
  }

  /** The source ended: a stream that never reached `message_stop` ends in an error frame. */
  onEnd(): ChatStreamFrame[] {
    if (this.finished) return [];
    return this.fail({ type: 'api_error', message: incompleteStreamMessage });
  }

  /** Ends the stream with an error frame (mid-stream failure). */
  fail(error: { type: string; message: string }): ChatStreamFrame[] {
    if (this.finished) return [];
    this.finished = true;
    return [toOpenAIErrorBody(error)];
  }

  private onBlockStart(
    index: number,
    block: Extract<MessageStreamEvent, { type: 'content_block_start' }>['content_block'],
  ): ChatStreamFrame[] {
    if (block.type === 'tool_use') {
      const toolIndex = this.toolIndexByBlock.size;
      this.toolIndexByBlock.set(index, toolIndex);
      const input = block.input as Record<string, unknown> | undefined;
      const initialArguments = input && Object.keys(input).length > 0 ? JSON.stringify(input) : '';
      return [
        this.chunk({
          tool_calls: [
            {
              index: toolIndex,
              id: block.id,
              type: 'function',
              function: { name: block.name, arguments: initialArguments },
            },
          ],
        }),
      ];
    }
    if (block.type === 'text' && block.text) return [this.chunk({ content: block.text })];
    return [];
  }

  private onBlockDelta(
    index: number,
    delta: Extract<MessageStreamEvent, { type: 'content_block_delta' }>['delta'],
  ): ChatStreamFrame[] {
    switch (delta.type) {
      case 'text_delta':
        return delta.text ? [this.chunk({ content: delta.text })] : [];
      case 'thinking_delta':
        return delta.thinking ? [this.chunk({ reasoning_content: delta.thinking })] : [];
      case 'input_json_delta': {
        const toolIndex = this.toolIndexByBlock.get(index);
        if (toolIndex === undefined || !delta.partial_json) return [];
        return [
          this.chunk({
            tool_calls: [{ index: toolIndex, function: { arguments: delta.partial_json } }],
          }),
        ];
      }
      default:
        return [];
    }
  }

  private complete(): ChatStreamFrame[] {
    this.finished = true;
    const frames: ChatStreamFrame[] = [
      this.chunk({}, mapStopReasonToFinishReason(this.stopReason)),
    ];
    if (this.includeUsage) {
      frames.push({
        id: this.id,
        object: 'chat.completion.chunk',
        created: this.created,
        model: this.model,
        choices: [],
        usage: convertToChatUsage(this.usage),
      });
    }
    frames.push('[DONE]');
    return frames;
  }

  private chunk(
    delta: ChatCompletionChunkDelta,
    finishReason: ChatCompletionChunk['choices'][number]['finish_reason'] = null,
  ): ChatCompletionChunk {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    };
  }
}
