import type { MessagesResponse, ResponseContentBlock } from '@conduit/core';
import { convertToResponsesUsage } from '../common/convert-openai-usage-out.js';
import { customToolInputField } from './convert-responses-to-messages-request.js';
import { encodeThinkingContent } from './thinking-encrypted-content.js';
import type {
  ResponseObject,
  ResponsesCreateRequest,
  ResponsesOutputItemOut,
} from './responses-inbound-api.js';

/** `msg_abc` → `resp_abc`: one answer keeps one id across both APIs. */
export function responseId(messageId: string): string {
  return `resp_${messageId.replace(/^msg_/, '')}`;
}

/** The parts of a response object that echo the request (as OpenAI returns them). */
export function createResponseShell(
  body: ResponsesCreateRequest,
  options: { id: string; createdAt: number; model: string },
): ResponseObject {
  return {
    id: options.id,
    object: 'response',
    created_at: options.createdAt,
    status: 'in_progress',
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: options.model,
    output: [],
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? null },
    store: false,
    temperature: body.temperature ?? null,
    text: { format: { type: body.text?.format?.type ?? 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? null,
    truncation: 'disabled',
    usage: null,
    user: body.user ?? null,
    metadata: body.metadata ?? {},
  };
}

/** `max_tokens` (and the context-window stop) make a response `incomplete`, as OpenAI reports it. */
export function incompleteReason(stopReason: string | null | undefined): string | null {
  if (stopReason === 'max_tokens' || stopReason === 'model_context_window_exceeded') {
    return 'max_output_tokens';
  }
  return stopReason === 'refusal' ? 'content_filter' : null;
}

/** One Anthropic content block → its Responses output item (ids derive from the response id). */
export function convertBlockToOutputItem(
  block: ResponseContentBlock,
  options: { itemId: string; customToolNames: ReadonlySet<string> },
): ResponsesOutputItemOut | undefined {
  switch (block.type) {
    case 'text':
      return {
        type: 'message',
        id: options.itemId,
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: block.text, annotations: [] }],
      };
    case 'thinking':
      return {
        type: 'reasoning',
        id: options.itemId,
        summary: [{ type: 'summary_text', text: block.thinking }],
        ...(block.signature
          ? {
              encrypted_content: encodeThinkingContent({
                thinking: block.thinking,
                signature: block.signature,
              }),
            }
          : {}),
      };
    case 'redacted_thinking':
      return {
        type: 'reasoning',
        id: options.itemId,
        summary: [],
        encrypted_content: encodeThinkingContent({ redacted: block.data }),
      };
    case 'tool_use': {
      const input = (block.input ?? {}) as Record<string, unknown>;
      if (options.customToolNames.has(block.name)) {
        const value = input[customToolInputField];
        return {
          type: 'custom_tool_call',
          id: options.itemId,
          call_id: block.id,
          name: block.name,
          input: typeof value === 'string' ? value : JSON.stringify(input),
          status: 'completed',
        };
      }
      return {
        type: 'function_call',
        id: options.itemId,
        call_id: block.id,
        name: block.name,
        arguments: JSON.stringify(input),
        status: 'completed',
      };
    }
    default:
      return undefined;
  }
}

/** The item id prefix OpenAI uses for each output item type. */
export function outputItemPrefix(blockType: string): string {
  if (blockType === 'thinking' || blockType === 'redacted_thinking') return 'rs';
  if (blockType === 'tool_use') return 'fc';
  return 'msg';
}

/** The concatenated text of the message items (the SDKs' `output_text` convenience). */
export function outputText(output: readonly ResponsesOutputItemOut[]): string {
  return output
    .flatMap(item => (item.type === 'message' ? item.content.map(part => part.text) : []))
    .join('');
}

/** An Anthropic message → a completed (or incomplete) Responses API `response` object. */
export function convertMessagesToResponse(
  message: MessagesResponse,
  options: {
    body: ResponsesCreateRequest;
    createdAt: number;
    customToolNames: ReadonlySet<string>;
  },
): ResponseObject {
  const id = responseId(message.id);
  const suffix = id.slice('resp_'.length);
  const output = message.content.flatMap((block, index) => {
    const item = convertBlockToOutputItem(block, {
      itemId: `${outputItemPrefix(block.type)}_${suffix}_${index}`,
      customToolNames: options.customToolNames,
    });
    return item ? [item] : [];
  });
  const reason = incompleteReason(message.stop_reason);
  return {
    ...createResponseShell(options.body, {
      id,
      createdAt: options.createdAt,
      model: message.model,
    }),
    status: reason ? 'incomplete' : 'completed',
    incomplete_details: reason ? { reason } : null,
    output,
    output_text: outputText(output),
    usage: convertToResponsesUsage(message.usage),
  };
}
