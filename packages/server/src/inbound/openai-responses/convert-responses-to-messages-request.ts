import {
  type ContentBlock,
  InvalidRequestError,
  type MessageParam,
  type MessagesRequest,
  type Tool,
} from '@conduit/core';
import { createToolUseId } from '../../providers/common/response-ids.js';
import { parseToolArguments } from '../../providers/common/parse-tool-arguments.js';
import { convertFileData, convertImageURL } from '../common/convert-openai-image.js';
import {
  convertToolChoice,
  jsonFormatInstruction,
  pushContent,
  pushToolResult,
} from '../common/build-messages.js';
import { mapReasoningEffort } from '../common/map-reasoning-effort.js';
import { decodeThinkingContent } from './thinking-encrypted-content.js';
import { defaultMaxTokens } from '../openai-chat/convert-chat-to-messages-request.js';
import type { ResponsesCreateRequest, ResponsesInputItemIn } from './responses-inbound-api.js';

/** A Responses request as the pipeline takes it, plus what the answer must echo. */
export interface ConvertedResponsesRequest {
  request: MessagesRequest;
  stream: boolean;
  /** Tools declared `type: "custom"` (free-form input): their calls go back as `custom_tool_call`. */
  customToolNames: ReadonlySet<string>;
  /** Hosted tools (web search, file search, …) no upstream here can run; they were left out. */
  warnings: string[];
}

/** The single string parameter a custom (free-form) tool gets as an Anthropic tool. */
export const customToolInputField = 'input';

/**
 * An OpenAI Responses request → an Anthropic Messages request. Conduit is stateless, so
 * `previous_response_id` is refused (send the whole conversation in `input`, as Codex CLI does).
 * `instructions` and `system`/`developer` items become `system`; `function_call` and
 * `function_call_output` items become `tool_use` and `tool_result` blocks; reasoning items Conduit
 * produced become thinking blocks again (see `thinking-encrypted-content.ts`), others are dropped.
 */
export function convertResponsesToMessagesRequest(
  body: ResponsesCreateRequest,
): ConvertedResponsesRequest {
  if (body.previous_response_id) {
    throw new InvalidRequestError({
      message:
        'previous_response_id: Conduit does not store responses; send the whole conversation in input (store: false).',
      field: 'previous_response_id',
    });
  }
  const warnings: string[] = [];
  const system: string[] = body.instructions ? [body.instructions] : [];
  const messages = convertInput(body.input, system);
  if (messages.length === 0) {
    messages.push({ role: 'user', content: system.splice(0).join('\n\n') || '.' });
  }
  const formatInstruction = jsonFormatInstruction(body.text?.format);
  if (formatInstruction) system.push(formatInstruction);
  const reasoning = mapReasoningEffort(
    body.reasoning?.effort,
    body.max_output_tokens ?? undefined,
    defaultMaxTokens,
  );
  const request: MessagesRequest = { model: body.model, messages, max_tokens: reasoning.maxTokens };
  if (system.length > 0) request.system = system.join('\n\n');
  if (reasoning.thinking) request.thinking = reasoning.thinking;
  if (typeof body.temperature === 'number') request.temperature = body.temperature;
  if (typeof body.top_p === 'number') request.top_p = body.top_p;
  if (body.user) request.metadata = { user_id: body.user };

  const customToolNames = new Set<string>();
  const tools: Tool[] = [];
  for (const tool of body.tools ?? []) {
    if (tool.type === 'function' && tool.name) {
      tools.push({
        name: tool.name,
        ...(tool.description ? { description: tool.description } : {}),
        input_schema: tool.parameters ?? { type: 'object', properties: {} },
      });
    } else if (tool.type === 'custom' && tool.name) {
      customToolNames.add(tool.name);
      tools.push({
        name: tool.name,
        ...(tool.description ? { description: tool.description } : {}),
        input_schema: {
          type: 'object',
          properties: { [customToolInputField]: { type: 'string' } },
          required: [customToolInputField],
        },
      });
    } else {
      warnings.push(`tools: the hosted tool "${tool.type}" cannot be served here; left out.`);
    }
  }
  if (tools.length > 0) {
    request.tools = tools;
    const choice = body.tool_choice ?? undefined;
    const toolChoice =
      typeof choice === 'object'
        ? choice.name
          ? convertToolChoice({ name: choice.name }, body.parallel_tool_calls)
          : undefined
        : convertToolChoice(choice, body.parallel_tool_calls);
    if (toolChoice) request.tool_choice = toolChoice;
  }
  const stream = body.stream === true;
  if (stream) request.stream = true;
  return { request, stream, customToolNames, warnings };
}

function partsText(content: ResponsesInputItemIn['content'] | ResponsesInputItemIn['output']) {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  return content
    .filter(part => typeof part.text === 'string')
    .map(part => String(part.text))
    .join('\n\n');
}

function convertContent(item: ResponsesInputItemIn, field: string): ContentBlock[] {
  const { content } = item;
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return content.flatMap((part, index): ContentBlock[] => {
    const partField = `${field}.content[${index}]`;
    switch (part.type) {
      case 'input_text':
      case 'output_text':
      case 'text':
        return part.text ? [{ type: 'text', text: String(part.text) }] : [];
      case 'refusal':
        return part.refusal ? [{ type: 'text', text: String(part.refusal) }] : [];
      case 'input_image': {
        const url = part.image_url;
        if (typeof url !== 'string') {
          throw new InvalidRequestError({
            message: `${partField}.image_url: required (uploaded file ids are not supported).`,
            field: `${partField}.image_url`,
          });
        }
        return [convertImageURL(url, `${partField}.image_url`)];
      }
      case 'input_file': {
        if (typeof part.file_data !== 'string') {
          throw new InvalidRequestError({
            message: `${partField}.file_data: required (uploaded file ids are not supported).`,
            field: `${partField}.file_data`,
          });
        }
        const filename = typeof part.filename === 'string' ? part.filename : undefined;
        return [convertFileData(part.file_data, filename, `${partField}.file_data`)];
      }
      default:
        throw new InvalidRequestError({
          message: `${partField}: content parts of type "${part.type}" are not supported.`,
          field: partField,
        });
    }
  });
}

function requireCallId(item: ResponsesInputItemIn, field: string): string {
  if (!item.call_id) {
    throw new InvalidRequestError({
      message: `${field}.call_id: required for ${item.type} items.`,
      field: `${field}.call_id`,
    });
  }
  return createToolUseId(item.call_id);
}

function convertInput(input: ResponsesCreateRequest['input'], system: string[]): MessageParam[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  const messages: MessageParam[] = [];
  input.forEach((item, index) => {
    const field = `input[${index}]`;
    switch (item.type ?? 'message') {
      case 'message': {
        if (item.role === 'system' || item.role === 'developer') {
          const text = partsText(item.content);
          if (messages.length === 0) system.push(text);
          else messages.push({ role: 'system', content: text });
        } else if (item.role === 'user' || item.role === 'assistant') {
          const content =
            typeof item.content === 'string' ? item.content : convertContent(item, field);
          pushContent(messages, item.role, content);
        } else {
          throw new InvalidRequestError({
            message: `${field}.role: must be user, assistant, system or developer.`,
            field: `${field}.role`,
          });
        }
        break;
      }
      case 'function_call':
        pushContent(messages, 'assistant', [
          {
            type: 'tool_use',
            id: requireCallId(item, field),
            name: item.name ?? '',
            input: parseToolArguments(item.arguments).input,
          },
        ]);
        break;
      case 'custom_tool_call':
        pushContent(messages, 'assistant', [
          {
            type: 'tool_use',
            id: requireCallId(item, field),
            name: item.name ?? '',
            input: { [customToolInputField]: item.input ?? '' },
          },
        ]);
        break;
      case 'function_call_output':
      case 'custom_tool_call_output':
        pushToolResult(messages, {
          type: 'tool_result',
          tool_use_id: requireCallId(item, field),
          content: partsText(item.output),
        });
        break;
      case 'reasoning': {
        // Conduit's own reasoning items carry the thinking block; other providers' are opaque.
        const thinking = decodeThinkingContent(item.encrypted_content);
        if (thinking) pushContent(messages, 'assistant', [thinking]);
        break;
      }
      default:
        throw new InvalidRequestError({
          message: `${field}.type: items of type "${item.type}" are not supported (Conduit is stateless: send messages, function calls and their outputs).`,
          field: `${field}.type`,
        });
    }
  });
  return messages;
}
