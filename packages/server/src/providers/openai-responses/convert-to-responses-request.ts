import {
  type ContentBlock,
  InvalidRequestError,
  type MessageParam,
  type MessagesRequest,
} from '@conduit/core';
import { cleanJsonSchema } from '../openai/clean-json-schema.js';
import { convertImageBlock } from '../openai/convert-to-openai-messages.js';
import { mapBudgetToEffort } from '../openai/map-thinking-to-reasoning.js';
import type {
  ResponsesFunctionTool,
  ResponsesInputContent,
  ResponsesInputItem,
  ResponsesRequest,
  ResponsesToolChoice,
} from './responses-api.js';
import { decodeReasoningSignature } from './responses-reasoning-signature.js';

const billingHeaderPrefix = 'x-anthropic-billing-header:';

/** The smallest `max_output_tokens` the Responses API accepts. */
const minimumOutputTokens = 16;

/** Summary detail for reasoning (`auto` or `detailed`), set with the `openai-responses` options. */
export type ReasoningSummaryMode = 'auto' | 'detailed';

function imageURL(block: ContentBlock): string | undefined {
  return convertImageBlock(block)?.image_url.url;
}

function userContent(block: ContentBlock, warnings: string[]): ResponsesInputContent | undefined {
  switch (block.type) {
    case 'text':
      return { type: 'input_text', text: String(block.text) };
    case 'image': {
      const url = imageURL(block);
      if (!url) warnings.push('image block with an unsupported source was dropped.');
      return url ? { type: 'input_image', image_url: url } : undefined;
    }
    case 'document': {
      const source = block.source as
        | { type?: string; data?: string; media_type?: string }
        | undefined;
      if (source?.type === 'text' && typeof source.data === 'string')
        return { type: 'input_text', text: source.data };
      if (source?.type === 'base64' && source.data) {
        return {
          type: 'input_file',
          filename: typeof block.title === 'string' ? block.title : 'document.pdf',
          file_data: `data:${source.media_type ?? 'application/pdf'};base64,${source.data}`,
        };
      }
      warnings.push(`document block with source type "${source?.type}" is not supported; dropped.`);
      return undefined;
    }
    default:
      warnings.push(`user content block of type "${block.type}" is not supported; dropped.`);
      return undefined;
  }
}

function toolResultOutput(block: ContentBlock, images: ResponsesInputContent[]): string {
  const content = block.content as string | ContentBlock[] | undefined;
  let text = '';
  if (typeof content === 'string') text = content;
  else if (Array.isArray(content)) {
    const texts: string[] = [];
    for (const part of content) {
      if (part.type === 'text') texts.push(String(part.text));
      else if (part.type === 'image') {
        const url = imageURL(part);
        if (url) images.push({ type: 'input_image', image_url: url });
      } else texts.push(JSON.stringify(part));
    }
    text = texts.join('\n\n');
  }
  return block.is_error === true ? `Error: ${text}` : text;
}

function convertUser(message: MessageParam, warnings: string[]): ResponsesInputItem[] {
  if (typeof message.content === 'string') return [{ role: 'user', content: message.content }];
  const items: ResponsesInputItem[] = [];
  const parts: ResponsesInputContent[] = [];
  for (const block of message.content) {
    if (block.type === 'tool_result') {
      const images: ResponsesInputContent[] = [];
      items.push({
        type: 'function_call_output',
        call_id: String(block.tool_use_id),
        output: toolResultOutput(block, images),
      });
      if (images.length > 0) {
        parts.push(
          {
            type: 'input_text',
            text: `Images returned by tool call ${String(block.tool_use_id)}:`,
          },
          ...images,
        );
      }
      continue;
    }
    const part = userContent(block, warnings);
    if (part) parts.push(part);
  }
  if (parts.length > 0) items.push({ role: 'user', content: parts });
  return items;
}

function convertAssistant(message: MessageParam, warnings: string[]): ResponsesInputItem[] {
  if (typeof message.content === 'string') {
    return message.content
      ? [{ role: 'assistant', content: [{ type: 'output_text', text: message.content }] }]
      : [];
  }
  const items: ResponsesInputItem[] = [];
  for (const block of message.content) {
    switch (block.type) {
      case 'text':
        if (String(block.text))
          items.push({
            role: 'assistant',
            content: [{ type: 'output_text', text: String(block.text) }],
          });
        break;
      case 'thinking': {
        // Only reasoning items this API produced go back; other providers' reasoning is dropped.
        const reference = decodeReasoningSignature(block.signature);
        if (reference) {
          items.push({
            type: 'reasoning',
            id: reference.id,
            summary: block.thinking ? [{ type: 'summary_text', text: String(block.thinking) }] : [],
            ...(reference.encrypted_content
              ? { encrypted_content: reference.encrypted_content }
              : {}),
          });
        }
        break;
      }
      case 'redacted_thinking':
        break;
      case 'tool_use':
        items.push({
          type: 'function_call',
          call_id: String(block.id),
          name: String(block.name),
          arguments: JSON.stringify(block.input ?? {}),
        });
        break;
      default:
        warnings.push(`assistant content block of type "${block.type}" is not supported; dropped.`);
    }
  }
  return items;
}

function systemText(system: MessagesRequest['system']): string {
  if (system === undefined) return '';
  if (typeof system === 'string') return system;
  return system
    .filter(block => !block.text.startsWith(billingHeaderPrefix))
    .map(block => block.text)
    .join('\n\n');
}

function convertTools(request: MessagesRequest, warnings: string[]) {
  const tools: ResponsesFunctionTool[] = [];
  for (const tool of request.tools ?? []) {
    if (tool.input_schema === undefined && tool.type !== undefined && tool.type !== 'custom') {
      warnings.push(`server tool "${tool.name}" (${tool.type}) is not supported; dropped.`);
      continue;
    }
    tools.push({
      type: 'function',
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      parameters: (cleanJsonSchema(tool.input_schema ?? { type: 'object', properties: {} }) ??
        {}) as Record<string, unknown>,
      // Strict mode requires every property required and additionalProperties false everywhere;
      // Claude Code's schemas have optional properties, so functions are sent non-strict.
      strict: false,
    });
  }
  return tools;
}

function convertToolChoice(
  choice: NonNullable<MessagesRequest['tool_choice']>,
  tools: ResponsesFunctionTool[],
): ResponsesToolChoice {
  switch (choice.type) {
    case 'auto':
      return 'auto';
    case 'any':
      return 'required';
    case 'none':
      return 'none';
    case 'tool':
      if (!choice.name || !tools.some(tool => tool.name === choice.name)) {
        throw new InvalidRequestError({
          message: `tool_choice.name: "${choice.name ?? ''}" is not one of the request's tools.`,
          field: 'tool_choice.name',
        });
      }
      return { type: 'function', name: choice.name };
  }
}

function reasoningEffort(request: MessagesRequest): 'low' | 'medium' | 'high' | undefined {
  const thinking = request.thinking;
  if (!thinking || thinking.type === 'disabled') return undefined;
  if (thinking.type === 'enabled' && thinking.budget_tokens !== undefined)
    return mapBudgetToEffort(thinking.budget_tokens);
  const effort = (
    (request as Record<string, unknown>).output_config as { effort?: string } | undefined
  )?.effort;
  if (effort === 'low' || effort === 'medium') return effort;
  if (effort === 'high' || effort === 'max') return 'high';
  return 'medium';
}

/**
 * A whole Anthropic Messages request → a Responses API body. `system` → `instructions`; messages →
 * `input` items (tool uses → `function_call`, tool results → `function_call_output`, Conduit-made
 * reasoning → `reasoning` items with their encrypted content); tools → non-strict function tools;
 * `thinking` → `reasoning: {effort, summary}` (budget ≤1024 low, ≤8192 medium, else high);
 * `max_tokens` → `max_output_tokens` (at least 16, the API minimum). `store: false` keeps nothing at OpenAI, so encrypted
 * reasoning is requested (`include`). Dropped with a warning: `temperature`, `top_p`, `top_k` and
 * `stop_sequences` (the reasoning models served here reject them).
 */
export function convertToResponsesRequest(
  request: MessagesRequest,
  model: string,
  options: { reasoningSummary?: ReasoningSummaryMode } = {},
): { body: ResponsesRequest; warnings: string[] } {
  const warnings: string[] = [];
  const input: ResponsesInputItem[] = [];
  for (const message of request.messages) {
    if (message.role === 'user') input.push(...convertUser(message, warnings));
    else if (message.role === 'assistant') input.push(...convertAssistant(message, warnings));
    else {
      const text =
        typeof message.content === 'string'
          ? message.content
          : message.content
              .filter(block => block.type === 'text')
              .map(block => String(block.text))
              .join('\n\n');
      input.push({ role: 'developer', content: text });
    }
  }
  // The API rejects max_output_tokens below 16; Claude Code probes with max_tokens: 1.
  const maxOutputTokens = Math.max(minimumOutputTokens, request.max_tokens);
  if (maxOutputTokens !== request.max_tokens) {
    warnings.push(
      `max_tokens ${request.max_tokens} raised to the API minimum of ${minimumOutputTokens}.`,
    );
  }
  const body: ResponsesRequest = { model, input, max_output_tokens: maxOutputTokens, store: false };
  const instructions = systemText(request.system);
  if (instructions) body.instructions = instructions;
  const tools = convertTools(request, warnings);
  if (tools.length > 0) {
    body.tools = tools;
    if (request.tool_choice) {
      body.tool_choice = convertToolChoice(request.tool_choice, tools);
      if (request.tool_choice.disable_parallel_tool_use === true) body.parallel_tool_calls = false;
    }
  }
  const effort = reasoningEffort(request);
  if (effort) {
    body.reasoning = { effort, summary: options.reasoningSummary ?? 'auto' };
    body.include = ['reasoning.encrypted_content'];
  }
  if (request.stream === true) body.stream = true;
  for (const field of ['temperature', 'top_p', 'top_k'] as const) {
    if (request[field] !== undefined)
      warnings.push(`${field} is not sent to the Responses API; dropped.`);
  }
  if (request.stop_sequences?.length)
    warnings.push('stop_sequences are not supported by the Responses API; dropped.');
  return { body, warnings };
}
