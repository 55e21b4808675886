import type { ContentBlock, MessageParam, MessagesRequest } from '@conduit/core';
import type { GeminiContent, GeminiPart } from './gemini-api.js';
import {
  decodeThoughtSignature,
  requiresFunctionCallSignatures,
  skipThoughtSignatureValidator,
} from './gemini-thought-signature.js';

/** Claude Code's per-request billing line: useless upstream, and it breaks prefix caching. */
const billingHeaderPrefix = 'x-anthropic-billing-header:';

type ImageSource = { type?: string; media_type?: string; data?: string; url?: string };

/** `system` → `systemInstruction` text (undefined when empty). */
export function convertSystemInstruction(
  system: MessagesRequest['system'],
): { parts: Array<{ text: string }> } | undefined {
  if (system === undefined) return undefined;
  const text =
    typeof system === 'string'
      ? system
      : system
          .filter(block => !block.text.startsWith(billingHeaderPrefix))
          .map(block => block.text)
          .join('\n\n');
  return text.length > 0 ? { parts: [{ text }] } : undefined;
}

/** An Anthropic image or document source → an `inlineData` or `fileData` part. */
export function convertMediaSource(
  source: ImageSource | undefined,
  fallbackType: string,
): GeminiPart | undefined {
  if (source?.type === 'base64' && source.data) {
    return { inlineData: { mimeType: source.media_type ?? fallbackType, data: source.data } };
  }
  if (source?.type === 'url' && source.url) {
    return {
      fileData: {
        mimeType: source.media_type ?? guessMimeType(source.url, fallbackType),
        fileUri: source.url,
      },
    };
  }
  if (source?.type === 'text' && typeof source.data === 'string') return { text: source.data };
  return undefined;
}

function guessMimeType(url: string, fallbackType: string): string {
  const extension = /\.([a-z0-9]+)(?:[?#]|$)/i.exec(url)?.[1]?.toLowerCase();
  const known: Record<string, string> = {
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    gif: 'image/gif',
    webp: 'image/webp',
    pdf: 'application/pdf',
  };
  return (extension && known[extension]) || fallbackType;
}

function toolResultText(block: ContentBlock, media: GeminiPart[], warnings: string[]): string {
  const content = block.content as string | ContentBlock[] | undefined;
  if (content === undefined) return '';
  if (typeof content === 'string') return content;
  const texts: string[] = [];
  for (const part of content) {
    if (part.type === 'text') texts.push(String(part.text));
    else if (part.type === 'image' || part.type === 'document') {
      const converted = convertMediaSource(part.source as ImageSource, 'image/png');
      if (converted) media.push(converted);
      else warnings.push(`${part.type} in a tool_result with an unsupported source was dropped.`);
    } else texts.push(JSON.stringify(part));
  }
  return texts.join('\n\n');
}

function convertUserBlocks(
  message: MessageParam,
  toolNames: Map<string, string>,
  warnings: string[],
): GeminiPart[] {
  if (typeof message.content === 'string') return [{ text: message.content }];
  const responses: GeminiPart[] = [];
  const parts: GeminiPart[] = [];
  for (const block of message.content) {
    switch (block.type) {
      case 'text':
        parts.push({ text: String(block.text) });
        break;
      case 'image':
      case 'document': {
        const converted = convertMediaSource(
          block.source as ImageSource,
          block.type === 'image' ? 'image/png' : 'application/pdf',
        );
        if (converted) parts.push(converted);
        else warnings.push(`${block.type} block with an unsupported source was dropped.`);
        break;
      }
      case 'tool_result': {
        const id = String(block.tool_use_id);
        let name = toolNames.get(id);
        if (!name) {
          warnings.push(`tool_result ${id} answers no earlier tool_use; sent as "unknown_tool".`);
          name = 'unknown_tool';
        }
        const text = toolResultText(block, parts, warnings);
        responses.push({
          functionResponse: {
            name,
            response: block.is_error === true ? { error: text } : { output: text },
          },
        });
        break;
      }
      default:
        warnings.push(`user content block of type "${block.type}" is not supported; dropped.`);
    }
  }
  // Function responses first: Gemini pairs them with the previous turn's calls.
  return [...responses, ...parts];
}

function convertAssistantBlocks(
  message: MessageParam,
  model: string,
  warnings: string[],
): GeminiPart[] {
  if (typeof message.content === 'string')
    return message.content ? [{ text: message.content }] : [];
  const parts: GeminiPart[] = [];
  for (const block of message.content) {
    switch (block.type) {
      case 'text':
        if (String(block.text).length > 0) parts.push({ text: String(block.text) });
        break;
      case 'thinking': {
        // Only Gemini's own thoughts go back, with their signature; others' reasoning is dropped.
        const signature = decodeThoughtSignature(block.signature);
        if (signature)
          parts.push({ text: String(block.thinking), thought: true, thoughtSignature: signature });
        break;
      }
      case 'redacted_thinking': {
        const signature = decodeThoughtSignature(block.data);
        const previous = parts.at(-1);
        if (signature && previous) previous.thoughtSignature = signature;
        break;
      }
      case 'tool_use':
        parts.push({
          functionCall: {
            name: String(block.name),
            args: (block.input ?? {}) as Record<string, unknown>,
          },
        });
        break;
      default:
        warnings.push(`assistant content block of type "${block.type}" is not supported; dropped.`);
    }
  }
  const firstCall = parts.find(part => part.functionCall);
  if (firstCall && !firstCall.thoughtSignature && requiresFunctionCallSignatures(model)) {
    firstCall.thoughtSignature = skipThoughtSignatureValidator;
  }
  return parts;
}

/**
 * Anthropic `messages` → Gemini `contents` (roles `user` and `model`). Tool results become
 * `functionResponse` parts named after the matching `tool_use` (Gemini matches by name and
 * order; `is_error` results answer `{error}`), images become `inlineData` (base64) or `fileData`
 * (URL). Consecutive turns of the same role are merged (Gemini wants them alternating);
 * mid-conversation `system` messages become user text.
 */
export function convertToGeminiContents(
  request: Pick<MessagesRequest, 'messages'>,
  model: string,
): { contents: GeminiContent[]; warnings: string[] } {
  const warnings: string[] = [];
  const toolNames = new Map<string, string>();
  const contents: GeminiContent[] = [];
  const push = (role: GeminiContent['role'], parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  for (const message of request.messages) {
    if (message.role === 'assistant') {
      if (Array.isArray(message.content)) {
        for (const block of message.content) {
          if (block.type === 'tool_use') toolNames.set(String(block.id), String(block.name));
        }
      }
      push('model', convertAssistantBlocks(message, model, warnings));
    } else if (message.role === 'system') {
      const text =
        typeof message.content === 'string'
          ? message.content
          : message.content
              .filter(block => block.type === 'text')
              .map(block => String(block.text))
              .join('\n\n');
      push('user', [{ text: `<system-reminder>\n${text}\n</system-reminder>` }]);
    } else {
      push('user', convertUserBlocks(message, toolNames, warnings));
    }
  }
  return { contents, warnings };
}
