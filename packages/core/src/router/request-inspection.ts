/**
 * Read-only (except for the subagent tag) questions the router asks about a request. Every function
 * tolerates malformed input: a missing `system`, string content, empty or absent `messages`.
 */

type LooseRecord = Record<string, unknown>;

function asRecord(value: unknown): LooseRecord | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as LooseRecord)
    : undefined;
}

/** The last message whose role is `user`, if any. */
export function findLastUserMessage(request: unknown): LooseRecord | undefined {
  const messages = asRecord(request)?.messages;
  if (!Array.isArray(messages)) return undefined;
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = asRecord(messages[index]);
    if (message?.role === 'user') return message;
  }
  return undefined;
}

/** Text of the last user message (string content, or its text blocks joined by newlines). */
export function lastUserMessageText(request: unknown): string {
  const content = findLastUserMessage(request)?.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const block of content) {
    const part = asRecord(block);
    if (part?.type === 'text' && typeof part.text === 'string') texts.push(part.text);
  }
  return texts.join('\n');
}

/** True when the last user message holds an image block, directly or inside a tool_result. */
export function lastUserMessageHasImage(request: unknown): boolean {
  const content = findLastUserMessage(request)?.content;
  if (!Array.isArray(content)) return false;
  return content.some(block => {
    const part = asRecord(block);
    if (part?.type === 'image') return true;
    if (part?.type === 'tool_result' && Array.isArray(part.content)) {
      return part.content.some(inner => asRecord(inner)?.type === 'image');
    }
    return false;
  });
}

/** True when a tool's `type` starts with `web_search` (Anthropic's server-side web search tool). */
export function hasWebSearchTool(request: unknown): boolean {
  const tools = asRecord(request)?.tools;
  if (!Array.isArray(tools)) return false;
  return tools.some(tool => {
    const type = asRecord(tool)?.type;
    return typeof type === 'string' && type.startsWith('web_search');
  });
}

/** `thinking.type`, when present. */
export function thinkingType(request: unknown): string | undefined {
  const type = asRecord(asRecord(request)?.thinking)?.type;
  return typeof type === 'string' ? type : undefined;
}

/** The request's `model` field when it is a string. */
export function requestModel(request: unknown): string {
  const model = asRecord(request)?.model;
  return typeof model === 'string' ? model : '';
}

const subagentTag = /^\s*<CCR-SUBAGENT-MODEL>(.*?)<\/CCR-SUBAGENT-MODEL>/s;

/**
 * Finds a `<CCR-SUBAGENT-MODEL>provider,model</CCR-SUBAGENT-MODEL>` tag at the start of `system[1]`
 * (where Claude Code puts a subagent's prompt), `system[0]`, or a string `system`, removes it from the
 * request (it is routing data, not prompt), and returns its content.
 */
export function takeSubagentTag(request: unknown): string | undefined {
  const body = asRecord(request);
  if (!body) return undefined;
  const system = body.system;
  if (typeof system === 'string') {
    const match = subagentTag.exec(system);
    if (!match) return undefined;
    body.system = system.slice(match[0].length).replace(/^\s+/, '');
    return match[1]?.trim();
  }
  if (!Array.isArray(system)) return undefined;
  for (const position of [1, 0]) {
    const block = asRecord(system[position]);
    if (block?.type !== 'text' || typeof block.text !== 'string') continue;
    const match = subagentTag.exec(block.text);
    if (!match) continue;
    system[position] = { ...block, text: block.text.slice(match[0].length).replace(/^\s+/, '') };
    return match[1]?.trim();
  }
  return undefined;
}
