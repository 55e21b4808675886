/**
 * Walks an Anthropic Messages request and hands every text claude-code-router counts to `visit`
 * (ccr-compat.md §D): system text, message text (any role, so mid-conversation `role:"system"`
 * messages count), `JSON.stringify(tool_use.input)`, tool_result string content or
 * `JSON.stringify(content)`, tool `name + description`, and `JSON.stringify(input_schema)`.
 * Images, documents and thinking blocks are not counted. Malformed parts are skipped, never thrown on.
 *
 * `visitValue`, when given, receives the JSON values (schemas, tool inputs, structured tool
 * results) instead of their `JSON.stringify` text, for a caller that does not need the text or
 * finds it another way, with a key that names the value across requests when there is one (the
 * tool's name, the tool_use id): Claude Code resends the same values on every turn.
 * `visitJoined`, when given, receives a tool's `name` and `description` apart instead of their
 * concatenation: joining copies the description on every request (Claude Code's are about 50 KB).
 */
export function forEachCountedText(
  request: unknown,
  visit: (text: string) => void,
  visitValue: (value: unknown, key?: string) => void = value => visitJSON(value, visit),
  visitJoined: (prefix: string, text: string) => void = (prefix, text) => visit(prefix + text),
): void {
  forEachCountedTextBesideTools(request, visit, visitValue);
  if (request === null || typeof request !== 'object') return;
  forEachCountedToolText((request as Record<string, unknown>).tools, visitValue, visitJoined);
}

/**
 * {@link forEachCountedText} of the messages and system alone: `tools` is not read (a caller that
 * knows the tools' count already does not make a gateway parse them).
 */
export function forEachCountedTextBesideTools(
  request: unknown,
  visit: (text: string) => void,
  visitValue: (value: unknown, key?: string) => void = value => visitJSON(value, visit),
): void {
  if (request === null || typeof request !== 'object') return;
  const { messages, system } = request as Record<string, unknown>;
  if (Array.isArray(messages)) {
    for (const message of messages) {
      if (message === null || typeof message !== 'object') continue;
      visitContent((message as Record<string, unknown>).content, visit, visitValue);
    }
  }
  if (typeof system === 'string') visit(system);
  else if (Array.isArray(system)) {
    for (const block of system) {
      if (block === null || typeof block !== 'object') continue;
      const { type, text } = block as Record<string, unknown>;
      if (type !== 'text') continue;
      if (typeof text === 'string') visit(text);
      else if (Array.isArray(text)) {
        for (const part of text) if (typeof part === 'string') visit(part);
      }
    }
  }
}

/** {@link forEachCountedText} of a request's `tools` value alone. */
export function forEachCountedToolText(
  tools: unknown,
  visitValue: (value: unknown, key?: string) => void,
  visitJoined: (prefix: string, text: string) => void,
): void {
  if (!Array.isArray(tools)) return;
  for (const tool of tools) {
    if (tool === null || typeof tool !== 'object') continue;
    const { name, description, input_schema: inputSchema } = tool as Record<string, unknown>;
    if (typeof description === 'string' && description !== '') {
      visitJoined(typeof name === 'string' ? name : '', description);
    }
    if (inputSchema !== undefined && inputSchema !== null) {
      visitValue(inputSchema, typeof name === 'string' ? name : undefined);
    }
  }
}

function visitContent(
  content: unknown,
  visit: (text: string) => void,
  visitValue: (value: unknown, key?: string) => void,
): void {
  if (typeof content === 'string') {
    visit(content);
    return;
  }
  if (!Array.isArray(content)) return;
  for (const block of content) {
    if (block === null || typeof block !== 'object') continue;
    const part = block as Record<string, unknown>;
    if (part.type === 'text') {
      if (typeof part.text === 'string') visit(part.text);
    } else if (part.type === 'tool_use') {
      if (part.input !== undefined) visitValue(part.input, stringOrUndefined(part.id));
    } else if (part.type === 'tool_result') {
      if (typeof part.content === 'string') visit(part.content);
      else if (part.content !== undefined) {
        visitValue(part.content, stringOrUndefined(part.tool_use_id));
      }
    }
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function visitJSON(value: unknown, visit: (text: string) => void): void {
  const text = jsonText(value);
  if (text !== undefined) visit(text);
}

/** `JSON.stringify(value)`, or `undefined` when it has no JSON text. */
export function jsonText(value: unknown): string | undefined {
  try {
    const text = JSON.stringify(value) as string | undefined;
    return typeof text === 'string' ? text : undefined;
  } catch {
    // Circular structures and BigInts cannot come from JSON bodies; a library caller's odd object
    // simply does not count.
    return undefined;
  }
}
