import {
  type ContentBlock,
  InvalidRequestError,
  type MessageParam,
  type MessagesRequest,
  type Tool,
} from '@conduit/core';
import {
  attachOpenAIClientFields,
  readOpenAIClientFields,
} from '../../providers/openai/openai-client-fields.js';
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
import type { ChatCompletionRequest, ChatMessage } from './chat-completions-api.js';

/** `max_tokens` when the client sets none (Anthropic requires one; OpenAI does not). */
export const defaultMaxTokens = 8192;

/** Fields the conversion maps itself; every other client field is kept for OpenAI upstreams. */
const mappedFields = new Set([
  'model',
  'messages',
  'max_tokens',
  'temperature',
  'top_p',
  'stop',
  'stream',
  'stream_options',
  'tools',
  'tool_choice',
  'user',
]);

/** A chat request as the pipeline takes it, plus how the answer must be shaped. */
export interface ConvertedChatRequest {
  request: MessagesRequest;
  stream: boolean;
  /** `stream_options.include_usage`: a final chunk with usage and no choices. */
  includeUsage: boolean;
  warnings: string[];
}

/**
 * An OpenAI Chat Completions request → an Anthropic Messages request (Conduit's internal form).
 *
 * - Leading `system`/`developer` messages become `system`; later ones stay as `role: "system"`
 *   messages in place (as Claude Code sends them).
 * - `tool` messages become `tool_result` blocks in one user turn, followed by any user content.
 * - `reasoning_effort` becomes a thinking budget, `required` tool choice `any`,
 *   `parallel_tool_calls: false` `disable_parallel_tool_use`, `user` `metadata.user_id`.
 * - `n > 1` and audio input are rejected (no Anthropic equivalent); `response_format` asking for
 *   JSON becomes a system instruction.
 */
export function convertChatToMessagesRequest(body: ChatCompletionRequest): ConvertedChatRequest {
  const warnings: string[] = [];
  if (body.n !== undefined && body.n !== null && body.n > 1) {
    throw new InvalidRequestError({
      message: 'n: only one choice per request is supported (n must be 1).',
      field: 'n',
    });
  }
  const { system, messages } = convertChatMessages(body.messages);
  if (messages.length === 0) {
    // OpenAI accepts a conversation of instructions alone; Anthropic needs one user turn.
    messages.push({ role: 'user', content: system.splice(0).join('\n\n') || '.' });
  }
  const format = body.response_format;
  const formatInstruction = jsonFormatInstruction(
    format && {
      type: format.type,
      schema: (format.json_schema as { schema?: unknown } | undefined)?.schema,
    },
  );
  if (formatInstruction) system.push(formatInstruction);
  const requestedMax = body.max_completion_tokens ?? body.max_tokens ?? undefined;
  const reasoning = mapReasoningEffort(body.reasoning_effort, requestedMax, defaultMaxTokens);

  const request: MessagesRequest = {
    model: body.model,
    messages,
    max_tokens: reasoning.maxTokens,
  };
  if (system.length > 0) request.system = system.join('\n\n');
  if (reasoning.thinking) request.thinking = reasoning.thinking;
  if (typeof body.temperature === 'number') request.temperature = body.temperature;
  if (typeof body.top_p === 'number') request.top_p = body.top_p;
  const stop = typeof body.stop === 'string' ? [body.stop] : (body.stop ?? []);
  const stopSequences = stop.filter(sequence => sequence.length > 0);
  if (stopSequences.length > 0) request.stop_sequences = stopSequences;
  if (body.user) request.metadata = { user_id: body.user };
  const tools = (body.tools ?? []).map(
    (tool): Tool => ({
      name: tool.function.name,
      ...(tool.function.description ? { description: tool.function.description } : {}),
      input_schema: tool.function.parameters ?? { type: 'object', properties: {} },
    }),
  );
  if (tools.length > 0) {
    request.tools = tools;
    const choice = body.tool_choice ?? undefined;
    const toolChoice = convertToolChoice(
      typeof choice === 'object' ? { name: choice.function.name } : choice,
      body.parallel_tool_calls,
    );
    if (toolChoice) request.tool_choice = toolChoice;
  }
  const stream = body.stream === true;
  if (stream) request.stream = true;

  const clientFields: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    if (!mappedFields.has(name) && value !== undefined && value !== null)
      clientFields[name] = value;
  }
  attachOpenAIClientFields(request, clientFields);
  return {
    request,
    stream,
    includeUsage: body.stream_options?.include_usage === true,
    warnings,
  };
}

function textOf(content: ChatMessage['content'], field: string): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  return content
    .map((part, index) => {
      if (part.type === 'text' || part.type === 'input_text') return String(part.text ?? '');
      if (part.type === 'refusal') return String(part.refusal ?? '');
      throw new InvalidRequestError({
        message: `${field}[${index}]: content parts of type "${part.type}" are only supported in user messages.`,
        field: `${field}[${index}]`,
      });
    })
    .join('\n\n');
}

function convertUserContent(content: ChatMessage['content'], field: string): ContentBlock[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return content.map((part, index): ContentBlock => {
    const partField = `${field}[${index}]`;
    switch (part.type) {
      case 'text':
        return { type: 'text', text: String(part.text ?? '') };
      case 'image_url': {
        const image = part.image_url as { url?: unknown } | string | undefined;
        const url = typeof image === 'string' ? image : image?.url;
        if (typeof url !== 'string') {
          throw new InvalidRequestError({
            message: `${partField}.image_url.url: required.`,
            field: `${partField}.image_url.url`,
          });
        }
        return convertImageURL(url, `${partField}.image_url.url`);
      }
      case 'file': {
        const file = (part.file ?? {}) as { file_data?: unknown; filename?: unknown };
        if (typeof file.file_data !== 'string') {
          throw new InvalidRequestError({
            message: `${partField}.file.file_data: required (uploaded file ids are not supported).`,
            field: `${partField}.file.file_data`,
          });
        }
        const filename = typeof file.filename === 'string' ? file.filename : undefined;
        return convertFileData(file.file_data, filename, `${partField}.file.file_data`);
      }
      default:
        throw new InvalidRequestError({
          message: `${partField}: content parts of type "${part.type}" are not supported (use text, image_url or file).`,
          field: partField,
        });
    }
  });
}

function convertAssistant(message: ChatMessage, field: string): ContentBlock[] {
  const blocks: ContentBlock[] = [];
  const text = textOf(message.content, `${field}.content`);
  if (text !== '') blocks.push({ type: 'text', text });
  for (const call of message.tool_calls ?? []) {
    blocks.push({
      type: 'tool_use',
      id: createToolUseId(call.id),
      name: call.function.name,
      input: parseToolArguments(call.function.arguments).input,
    });
  }
  return blocks;
}

function convertChatMessages(chatMessages: ChatMessage[]): {
  system: string[];
  messages: MessageParam[];
} {
  const system: string[] = [];
  const messages: MessageParam[] = [];
  chatMessages.forEach((message, index) => {
    const field = `messages[${index}]`;
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = textOf(message.content, `${field}.content`);
        if (messages.length === 0) system.push(text);
        else messages.push({ role: 'system', content: text });
        break;
      }
      case 'user':
        pushContent(messages, 'user', convertUserContent(message.content, `${field}.content`));
        break;
      case 'assistant': {
        pushContent(messages, 'assistant', convertAssistant(message, field));
        // DeepSeek-style reasoning echoed back on tool-call turns: OpenAI-compatible upstreams get
        // it again; it is no thinking block (it has no Anthropic signature, Anthropic would refuse it).
        const reasoning = (message as { reasoning_content?: unknown }).reasoning_content;
        const last = messages.at(-1);
        if (typeof reasoning === 'string' && reasoning !== '' && last?.role === 'assistant') {
          const previous = readOpenAIClientFields(last)?.reasoning_content;
          attachOpenAIClientFields(last, {
            reasoning_content: previous ? `${previous}\n\n${reasoning}` : reasoning,
          });
        }
        break;
      }
      case 'tool': {
        if (!message.tool_call_id) {
          throw new InvalidRequestError({
            message: `${field}.tool_call_id: required for tool messages.`,
            field: `${field}.tool_call_id`,
          });
        }
        const content =
          typeof message.content === 'string' || !message.content
            ? (message.content ?? '')
            : textOf(message.content, `${field}.content`);
        pushToolResult(messages, {
          type: 'tool_result',
          tool_use_id: createToolUseId(message.tool_call_id),
          content,
        });
        break;
      }
    }
  });
  return { system, messages };
}
