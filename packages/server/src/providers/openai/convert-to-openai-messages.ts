import type { ContentBlock, MessageParam, MessagesRequest } from '@conduit/core';
import type {
  OpenAIChatMessage,
  OpenAIImagePart,
  OpenAIToolCall,
  OpenAIUserContentPart,
} from './openai-api.js';
import { readOpenAIClientFields } from './openai-client-fields.js';

/** How system text that appears mid-conversation (`role: "system"` messages) is sent. */
export type MidConversationSystemMode = 'system' | 'user';

export interface ConvertToOpenAIMessagesOptions {
  /**
   * `system` (default) keeps a `role: "system"` message in place; `user` sends it as a user message
   * wrapped in `<system-reminder>`, for chat templates that only accept a leading system message.
   */
  midConversationSystem?: MidConversationSystemMode;
}

/**
 * Claude Code's first system block is an Anthropic billing line whose hash changes with the
 * content. Other providers gain nothing from it and it breaks their prefix caches, so it is dropped.
 */
const billingHeaderPrefix = 'x-anthropic-billing-header:';

const toolErrorPrefix = 'Error: ';

/**
 * Converts Anthropic `system` + `messages` into OpenAI chat messages.
 *
 * - `tool_result` blocks become `role: "tool"` messages placed right after the assistant turn, as
 *   OpenAI requires; text and images in the same user turn follow them as one user message.
 * - Images inside tool results cannot ride in a `tool` message, so they follow in a user message.
 * - `thinking` blocks become `reasoning_content` on the assistant message; `redacted_thinking` is
 *   dropped (it is opaque to every other provider).
 */
export function convertToOpenAIMessages(
  request: Pick<MessagesRequest, 'system' | 'messages'>,
  options: ConvertToOpenAIMessagesOptions = {},
): { messages: OpenAIChatMessage[]; warnings: string[] } {
  const warnings: string[] = [];
  const messages: OpenAIChatMessage[] = [];
  const systemText = convertSystem(request.system);
  if (systemText) messages.push({ role: 'system', content: systemText });

  for (const message of request.messages) {
    switch (message.role) {
      case 'system':
        messages.push(convertMidConversationSystem(message, options.midConversationSystem));
        break;
      case 'user':
        messages.push(...convertUserMessage(message, warnings));
        break;
      case 'assistant':
        messages.push(convertAssistantMessage(message, warnings));
        break;
    }
  }
  return { messages, warnings };
}

function convertSystem(system: MessagesRequest['system']): string {
  if (system === undefined) return '';
  if (typeof system === 'string') return system;
  return system
    .filter(block => !block.text.startsWith(billingHeaderPrefix))
    .map(block => block.text)
    .join('\n\n');
}

function contentToText(content: MessageParam['content']): string {
  if (typeof content === 'string') return content;
  return content
    .filter(block => block.type === 'text')
    .map(block => String(block.text))
    .join('\n\n');
}

function convertMidConversationSystem(
  message: MessageParam,
  mode: MidConversationSystemMode = 'system',
): OpenAIChatMessage {
  const text = contentToText(message.content);
  if (mode === 'user') {
    return { role: 'user', content: `<system-reminder>\n${text}\n</system-reminder>` };
  }
  return { role: 'system', content: text };
}

/** Anthropic image source → OpenAI `image_url` part, or undefined for unsupported sources. */
export function convertImageBlock(block: ContentBlock): OpenAIImagePart | undefined {
  const source = block.source as
    | { type?: string; media_type?: string; data?: string; url?: string }
    | undefined;
  if (source?.type === 'base64' && source.data) {
    return {
      type: 'image_url',
      image_url: { url: `data:${source.media_type ?? 'image/png'};base64,${source.data}` },
    };
  }
  if (source?.type === 'url' && source.url) {
    return { type: 'image_url', image_url: { url: source.url } };
  }
  return undefined;
}

function convertDocumentBlock(
  block: ContentBlock,
  warnings: string[],
): OpenAIUserContentPart | undefined {
  const source = block.source as
    | { type?: string; media_type?: string; data?: string; url?: string }
    | undefined;
  if (source?.type === 'text' && typeof source.data === 'string') {
    return { type: 'text', text: source.data };
  }
  if (source?.type === 'base64' && source.data) {
    return {
      type: 'file',
      file: {
        filename: typeof block.title === 'string' ? block.title : 'document.pdf',
        file_data: `data:${source.media_type ?? 'application/pdf'};base64,${source.data}`,
      },
    };
  }
  warnings.push(`document block with source type "${source?.type}" is not supported; dropped.`);
  return undefined;
}

function convertUserPart(
  block: ContentBlock,
  warnings: string[],
): OpenAIUserContentPart | undefined {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: String(block.text) };
    case 'image': {
      const image = convertImageBlock(block);
      if (!image) warnings.push('image block with an unsupported source was dropped.');
      return image;
    }
    case 'document':
      return convertDocumentBlock(block, warnings);
    default:
      warnings.push(`user content block of type "${block.type}" is not supported; dropped.`);
      return undefined;
  }
}

/** A list of parts as compact as possible: all-text content becomes one string. */
function compactParts(parts: OpenAIUserContentPart[]): string | OpenAIUserContentPart[] {
  if (parts.every(part => part.type === 'text')) {
    return parts.map(part => (part as { text: string }).text).join('\n\n');
  }
  return parts;
}

function convertToolResult(
  block: ContentBlock,
  warnings: string[],
): { message: OpenAIChatMessage; images: OpenAIImagePart[] } {
  const images: OpenAIImagePart[] = [];
  let text: string;
  const content = block.content as string | ContentBlock[] | undefined;
  if (content === undefined) {
    text = '';
  } else if (typeof content === 'string') {
    text = content;
  } else {
    const texts: string[] = [];
    for (const part of content) {
      if (part.type === 'text') texts.push(String(part.text));
      else if (part.type === 'image') {
        const image = convertImageBlock(part);
        if (image) images.push(image);
        else warnings.push('image in a tool_result with an unsupported source was dropped.');
      } else {
        texts.push(JSON.stringify(part));
      }
    }
    text = texts.join('\n\n');
  }
  if (block.is_error === true) text = `${toolErrorPrefix}${text}`;
  return {
    message: { role: 'tool', tool_call_id: String(block.tool_use_id), content: text },
    images,
  };
}

function convertUserMessage(message: MessageParam, warnings: string[]): OpenAIChatMessage[] {
  if (typeof message.content === 'string') return [{ role: 'user', content: message.content }];
  const toolMessages: OpenAIChatMessage[] = [];
  const parts: OpenAIUserContentPart[] = [];
  for (const block of message.content) {
    if (block.type === 'tool_result') {
      const { message: toolMessage, images } = convertToolResult(block, warnings);
      toolMessages.push(toolMessage);
      if (images.length > 0) {
        parts.push(
          { type: 'text', text: `Images returned by tool call ${String(block.tool_use_id)}:` },
          ...images,
        );
      }
      continue;
    }
    const part = convertUserPart(block, warnings);
    if (part) parts.push(part);
  }
  if (parts.length === 0) return toolMessages;
  return [...toolMessages, { role: 'user', content: compactParts(parts) }];
}

function convertAssistantMessage(message: MessageParam, warnings: string[]): OpenAIChatMessage {
  if (typeof message.content === 'string') return { role: 'assistant', content: message.content };
  const texts: string[] = [];
  const reasoning: string[] = [];
  const toolCalls: OpenAIToolCall[] = [];
  for (const block of message.content) {
    switch (block.type) {
      case 'text':
        texts.push(String(block.text));
        break;
      case 'thinking':
        reasoning.push(String(block.thinking));
        break;
      case 'redacted_thinking':
        break;
      case 'tool_use':
        toolCalls.push({
          id: String(block.id),
          type: 'function',
          function: { name: String(block.name), arguments: JSON.stringify(block.input ?? {}) },
        });
        break;
      default:
        warnings.push(`assistant content block of type "${block.type}" is not supported; dropped.`);
    }
  }
  const result: OpenAIChatMessage = {
    role: 'assistant',
    // null is only valid next to tool calls; some vendors reject it otherwise.
    content: texts.length > 0 ? texts.join('\n\n') : toolCalls.length > 0 ? null : '',
  };
  if (toolCalls.length > 0) result.tool_calls = toolCalls;
  if (reasoning.length > 0) result.reasoning_content = reasoning.join('\n\n');
  // From the OpenAI door: the client's own reasoning_content, kept outside the JSON.
  const carried = readOpenAIClientFields(message)?.reasoning_content;
  if (reasoning.length === 0 && typeof carried === 'string') result.reasoning_content = carried;
  return result;
}
