import type { MessageStreamEvent, ResponseContentBlock } from '@conduit/core';
import { incompleteStreamMessage } from '../common/anthropic-stream-event.js';
import {
  type AnthropicUsageLike,
  convertToResponsesUsage,
  mergeAnthropicUsage,
} from '../common/convert-openai-usage-out.js';
import { toOpenAIErrorBody } from '../common/openai-error.js';
import { parseToolArguments } from '../../providers/common/parse-tool-arguments.js';
import {
  convertBlockToOutputItem,
  createResponseShell,
  incompleteReason,
  outputItemPrefix,
  outputText,
  responseId,
} from './convert-messages-to-response.js';
import type { ResponsesStreamEventOut } from './responses-stream-events.js';
import type {
  ResponseObject,
  ResponsesCreateRequest,
  ResponsesOutputItemOut,
} from './responses-inbound-api.js';

interface OpenBlock {
  block: ResponseContentBlock;
  itemId: string;
  outputIndex: number;
  text: string;
  signature: string;
}

/**
 * Anthropic stream events → Responses API stream events (pure). Each content block is one output
 * item: text → `message` (`output_text.delta`), thinking → `reasoning` (summary deltas), tool_use
 * → `function_call` (`function_call_arguments.delta`) or, for custom tools, `custom_tool_call`
 * (its free-form input is sent whole when the block ends: the upstream streams it as JSON).
 * The stream ends with `response.completed` / `response.incomplete`, or `error` +
 * `response.failed` on a mid-stream failure.
 */
export class ResponsesStreamState {
  private readonly body: ResponsesCreateRequest;
  private readonly customToolNames: ReadonlySet<string>;
  private readonly createdAt: number;
  private sequence = 0;
  private id = responseId('msg_pending');
  private model = '';
  private usage: AnthropicUsageLike = {};
  private stopReason: string | null = null;
  private readonly open = new Map<number, OpenBlock>();
  private readonly output: ResponsesOutputItemOut[] = [];
  private finished = false;

  constructor(options: {
    body: ResponsesCreateRequest;
    customToolNames: ReadonlySet<string>;
    createdAt: number;
  }) {
    this.body = options.body;
    this.customToolNames = options.customToolNames;
    this.createdAt = options.createdAt;
  }

  onEvent(event: MessageStreamEvent): ResponsesStreamEventOut[] {
    if (this.finished) return [];
    switch (event.type) {
      case 'message_start': {
        this.id = responseId(event.message.id);
        this.model = event.message.model;
        mergeAnthropicUsage(this.usage, event.message.usage);
        const response = this.response('in_progress');
        return [
          this.event('response.created', { response }),
          this.event('response.in_progress', { response }),
        ];
      }
      case 'content_block_start':
        return this.onBlockStart(event.index, event.content_block);
      case 'content_block_delta':
        return this.onBlockDelta(event.index, event.delta);
      case 'content_block_stop':
        return this.onBlockStop(event.index);
      case 'message_delta':
        this.stopReason = event.delta.stop_reason ?? this.stopReason;
        mergeAnthropicUsage(this.usage, event.usage);
        return [];
      case 'message_stop': {
        this.finished = true;
        const reason = incompleteReason(this.stopReason);
        const response: ResponseObject = {
          ...this.response(reason ? 'incomplete' : 'completed'),
          incomplete_details: reason ? { reason } : null,
          output_text: outputText(this.output),
          usage: convertToResponsesUsage(this.usage),
        };
        return [this.event(reason ? 'response.incomplete' : 'response.completed', { response })];
      }
      case 'error':
        return this.fail(event.error);
      default:
        return [];
    }
  }

  onEnd(): ResponsesStreamEventOut[] {
    if (this.finished) return [];
    return this.fail({ type: 'api_error', message: incompleteStreamMessage });
  }

  /**
   * An `error` event (with OpenAI's `error` object too, so the OpenAI SDKs throw an `APIError`)
   * and `response.failed`, which Codex CLI and others wait for.
   */
  fail(error: { type: string; message: string }): ResponsesStreamEventOut[] {
    if (this.finished) return [];
    this.finished = true;
    const body = toOpenAIErrorBody(error).error;
    const code = body.code ?? body.type;
    return [
      this.event('error', { code, message: body.message, param: null, error: body }),
      this.event('response.failed', {
        response: { ...this.response('failed'), error: { code, message: body.message } },
      }),
    ];
  }

  private onBlockStart(index: number, block: ResponseContentBlock): ResponsesStreamEventOut[] {
    const outputIndex = this.output.length + this.open.size;
    const itemId = `${outputItemPrefix(block.type)}_${this.id.slice('resp_'.length)}_${index}`;
    const started = { block, itemId, outputIndex, text: '', signature: '' };
    const events: ResponsesStreamEventOut[] = [];
    switch (block.type) {
      case 'text':
        this.open.set(index, started);
        events.push(
          this.event('response.output_item.added', {
            output_index: outputIndex,
            item: {
              type: 'message',
              id: itemId,
              status: 'in_progress',
              role: 'assistant',
              content: [],
            },
          }),
          this.event('response.content_part.added', {
            item_id: itemId,
            output_index: outputIndex,
            content_index: 0,
            part: { type: 'output_text', text: '', annotations: [] },
          }),
        );
        if (block.text)
          events.push(...this.onBlockDelta(index, { type: 'text_delta', text: block.text }));
        return events;
      case 'thinking':
      case 'redacted_thinking': {
        this.open.set(index, started);
        const added = this.event('response.output_item.added', {
          output_index: outputIndex,
          item: { type: 'reasoning', id: itemId, summary: [] },
        });
        if (block.type === 'redacted_thinking') return [added];
        return [
          added,
          this.event('response.reasoning_summary_part.added', {
            item_id: itemId,
            output_index: outputIndex,
            summary_index: 0,
            part: { type: 'summary_text', text: '' },
          }),
        ];
      }
      case 'tool_use': {
        this.open.set(index, started);
        const item = convertBlockToOutputItem(block, {
          itemId,
          customToolNames: this.customToolNames,
        });
        // The arguments arrive as deltas; the item starts empty.
        const empty = item?.type === 'custom_tool_call' ? { input: '' } : { arguments: '' };
        return [
          this.event('response.output_item.added', {
            output_index: outputIndex,
            item: { ...item, ...empty, status: 'in_progress' },
          }),
        ];
      }
      default:
        return [];
    }
  }

  private onBlockDelta(
    index: number,
    delta: Extract<MessageStreamEvent, { type: 'content_block_delta' }>['delta'],
  ): ResponsesStreamEventOut[] {
    const open = this.open.get(index);
    if (!open) return [];
    const ids = { item_id: open.itemId, output_index: open.outputIndex };
    if (delta.type === 'text_delta' && delta.text) {
      open.text += delta.text;
      return [
        this.event('response.output_text.delta', { ...ids, content_index: 0, delta: delta.text }),
      ];
    }
    if (delta.type === 'signature_delta') {
      open.signature += delta.signature;
      return [];
    }
    if (delta.type === 'thinking_delta' && delta.thinking) {
      open.text += delta.thinking;
      return [
        this.event('response.reasoning_summary_text.delta', {
          ...ids,
          summary_index: 0,
          delta: delta.thinking,
        }),
      ];
    }
    if (delta.type === 'input_json_delta' && delta.partial_json) {
      open.text += delta.partial_json;
      if (open.block.type === 'tool_use' && this.customToolNames.has(open.block.name)) return [];
      return [
        this.event('response.function_call_arguments.delta', { ...ids, delta: delta.partial_json }),
      ];
    }
    return [];
  }

  private onBlockStop(index: number): ResponsesStreamEventOut[] {
    const open = this.open.get(index);
    if (!open) return [];
    this.open.delete(index);
    const { block } = open;
    const ids = { item_id: open.itemId, output_index: open.outputIndex };
    const complete: ResponseContentBlock =
      block.type === 'text'
        ? { type: 'text', text: open.text }
        : block.type === 'thinking'
          ? {
              type: 'thinking',
              thinking: open.text,
              signature: open.signature || block.signature,
            }
          : block.type === 'tool_use'
            ? { ...block, input: parseInput(open.text, block.input) }
            : block;
    const item = convertBlockToOutputItem(complete, {
      itemId: open.itemId,
      customToolNames: this.customToolNames,
    });
    if (!item) return [];
    this.output.push(item);
    const events: ResponsesStreamEventOut[] = [];
    if (item.type === 'message') {
      const part = item.content[0];
      events.push(
        this.event('response.output_text.done', { ...ids, content_index: 0, text: open.text }),
        this.event('response.content_part.done', { ...ids, content_index: 0, part }),
      );
    } else if (item.type === 'reasoning' && item.summary[0]) {
      const part = item.summary[0];
      events.push(
        this.event('response.reasoning_summary_text.done', {
          ...ids,
          summary_index: 0,
          text: open.text,
        }),
        this.event('response.reasoning_summary_part.done', { ...ids, summary_index: 0, part }),
      );
    } else if (item.type === 'function_call') {
      events.push(
        this.event('response.function_call_arguments.done', { ...ids, arguments: item.arguments }),
      );
    } else if (item.type === 'custom_tool_call') {
      events.push(
        this.event('response.custom_tool_call_input.delta', { ...ids, delta: item.input }),
        this.event('response.custom_tool_call_input.done', { ...ids, input: item.input }),
      );
    }
    events.push(this.event('response.output_item.done', { output_index: open.outputIndex, item }));
    return events;
  }

  private response(status: ResponseObject['status']): ResponseObject {
    return {
      ...createResponseShell(this.body, {
        id: this.id,
        createdAt: this.createdAt,
        model: this.model,
      }),
      status,
      output: [...this.output],
    };
  }

  private event(type: string, fields: Record<string, unknown>): ResponsesStreamEventOut {
    return { type, sequence_number: this.sequence++, ...fields };
  }
}

/** The streamed tool input, whole; the start block's input when nothing was streamed. */
function parseInput(streamed: string, initial: unknown): unknown {
  if (streamed.trim() === '') return initial ?? {};
  return parseToolArguments(streamed).input;
}
