import type { MessagesRequest } from '@conduit/core';

/**
 * `messagesRequestSchema.safeParse(value).data` without zod, for the requests Claude Code sends:
 * the same checks and the same result (zod's loose objects are copies with the schema's keys first,
 * in schema order, then the others as given). Returns undefined whenever it is not sure: an invalid
 * request, or a shape it does not check itself (image blocks, an own `__proto__` key); the caller
 * then asks zod, whose answer and error messages are the reference. A parity test holds the two to
 * the same output on the Claude Code fixtures and on generated bodies.
 *
 * Why: zod walks every value through its generic machinery; on the 76 KB Claude Code request this
 * check is several times cheaper.
 */
export function validateMessagesRequestFast(value: unknown): MessagesRequest | undefined {
  if (!isPlainRecord(value)) return undefined;
  const { model, messages, max_tokens: maxTokens } = value;
  if (typeof model !== 'string' || model.length === 0) return undefined;
  if (!Array.isArray(messages)) return undefined;
  if (typeof maxTokens !== 'number' || !Number.isSafeInteger(maxTokens) || maxTokens <= 0) {
    return undefined;
  }
  const out: Record<string, unknown> = { model };
  const outMessages: unknown[] = [];
  for (const message of messages) {
    const converted = copyMessage(message);
    if (converted === undefined) return undefined;
    outMessages.push(converted);
  }
  out.messages = outMessages;
  out.max_tokens = maxTokens;
  for (const [key, copy] of optionalFields) {
    if (!(key in value)) continue;
    const converted = copy(value[key]);
    if (converted === undefined) return undefined;
    out[key] = converted;
  }
  return copyOthers(value, requestKeys, out) ? (out as MessagesRequest) : undefined;
}

const requestKeys = new Set([
  'model',
  'messages',
  'max_tokens',
  'system',
  'tools',
  'tool_choice',
  'thinking',
  'metadata',
  'stop_sequences',
  'stream',
  'temperature',
  'top_p',
  'top_k',
]);
const typeKey = new Set(['type']);
const messageKeys = new Set(['role', 'content']);
const textBlockKeys = new Set(['type', 'text', 'cache_control']);
const toolKeys = new Set(['name', 'type', 'description', 'input_schema']);
const toolChoiceKeys = new Set(['type', 'name', 'disable_parallel_tool_use']);
const thinkingKeys = new Set(['type', 'budget_tokens']);
const metadataKeys = new Set(['user_id']);
const roles = new Set(['user', 'assistant', 'system']);
const toolChoiceTypes = new Set(['auto', 'any', 'tool', 'none']);
const thinkingTypes = new Set(['enabled', 'disabled', 'adaptive']);

type PlainRecord = Record<string, unknown>;

/** A JSON object without an own `__proto__` key (zod drops such a key; left to zod). */
function isPlainRecord(value: unknown): value is PlainRecord {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !Object.hasOwn(value, '__proto__')
  );
}

/** Copies the members of `value` not in `known` onto `out`, in their order (a loose object). */
function copyOthers(value: PlainRecord, known: ReadonlySet<string>, out: PlainRecord): boolean {
  for (const key in value) {
    if (!known.has(key)) out[key] = value[key];
  }
  return true;
}

/** Copies `value` with `type` first (a block checked by type, kept loose). */
function copyTyped(value: PlainRecord): PlainRecord {
  const out: PlainRecord = { type: value.type };
  copyOthers(value, typeKey, out);
  return out;
}

function copyMessage(message: unknown): PlainRecord | undefined {
  if (!isPlainRecord(message)) return undefined;
  const { role, content } = message;
  if (typeof role !== 'string' || !roles.has(role)) return undefined;
  let outContent: unknown;
  if (typeof content === 'string') outContent = content;
  else if (Array.isArray(content)) {
    const blocks: unknown[] = [];
    for (const block of content) {
      if (!isPlainRecord(block) || !isValidContentBlock(block)) return undefined;
      blocks.push(copyTyped(block));
    }
    outContent = blocks;
  } else return undefined;
  const out: PlainRecord = { role, content: outContent };
  copyOthers(message, messageKeys, out);
  return out;
}

function isCacheControl(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  return isPlainRecord(value) && typeof value.type === 'string';
}

const optionalString = (value: unknown) => value === undefined || typeof value === 'string';
const optionalBoolean = (value: unknown) => value === undefined || typeof value === 'boolean';

/** The checks `contentBlockSchema` makes (its refinement by type); image blocks are left to zod. */
function isValidContentBlock(block: PlainRecord): boolean {
  switch (block.type) {
    case 'text':
      return isTextBlock(block);
    case 'tool_use':
      return (
        typeof block.id === 'string' &&
        typeof block.name === 'string' &&
        // `input: z.unknown()` is a key that must be there (any value).
        'input' in block &&
        isCacheControl(block.cache_control)
      );
    case 'tool_result':
      return (
        typeof block.tool_use_id === 'string' &&
        isToolResultContent(block.content) &&
        optionalBoolean(block.is_error) &&
        isCacheControl(block.cache_control)
      );
    case 'thinking':
      return typeof block.thinking === 'string' && optionalString(block.signature);
    case 'redacted_thinking':
      return typeof block.data === 'string';
    case 'image':
      return false;
    default:
      return typeof block.type === 'string';
  }
}

function isTextBlock(block: PlainRecord): boolean {
  return (
    block.type === 'text' && typeof block.text === 'string' && isCacheControl(block.cache_control)
  );
}

function isToolResultContent(content: unknown): boolean {
  if (content === undefined || typeof content === 'string') return true;
  if (!Array.isArray(content)) return false;
  for (const part of content) {
    if (!isPlainRecord(part) || typeof part.type !== 'string') return false;
    if (part.type === 'image') return false;
    if (part.type === 'text' && !isTextBlock(part)) return false;
  }
  return true;
}

function copyCacheControl(value: unknown): unknown {
  return isPlainRecord(value) ? copyTyped(value) : value;
}

function copySystem(system: unknown): unknown {
  if (typeof system === 'string') return system;
  if (!Array.isArray(system)) return undefined;
  const out: unknown[] = [];
  for (const block of system) {
    if (!isPlainRecord(block) || !isTextBlock(block)) return undefined;
    const copy: PlainRecord = { type: block.type, text: block.text };
    if ('cache_control' in block) copy.cache_control = copyCacheControl(block.cache_control);
    copyOthers(block, textBlockKeys, copy);
    out.push(copy);
  }
  return out;
}

/** The `tools` part of {@link validateMessagesRequestFast}: the checked copy, or undefined. */
export function validateMessagesToolsFast(tools: unknown): unknown[] | undefined {
  return copyTools(tools);
}

function copyTools(tools: unknown): unknown[] | undefined {
  if (!Array.isArray(tools)) return undefined;
  const out: unknown[] = [];
  for (const tool of tools) {
    if (!isPlainRecord(tool) || typeof tool.name !== 'string') return undefined;
    if (!optionalString(tool.type) || !optionalString(tool.description)) return undefined;
    const copy: PlainRecord = { name: tool.name };
    if ('type' in tool) copy.type = tool.type;
    if ('description' in tool) copy.description = tool.description;
    if ('input_schema' in tool) {
      if (!isPlainRecord(tool.input_schema)) return undefined;
      copy.input_schema = { ...tool.input_schema };
    }
    copyOthers(tool, toolKeys, copy);
    out.push(copy);
  }
  return out;
}

function copyToolChoice(choice: unknown): unknown {
  if (!isPlainRecord(choice) || typeof choice.type !== 'string') return undefined;
  if (!toolChoiceTypes.has(choice.type) || !optionalString(choice.name)) return undefined;
  if (!optionalBoolean(choice.disable_parallel_tool_use)) return undefined;
  const copy: PlainRecord = { type: choice.type };
  if ('name' in choice) copy.name = choice.name;
  if ('disable_parallel_tool_use' in choice) {
    copy.disable_parallel_tool_use = choice.disable_parallel_tool_use;
  }
  copyOthers(choice, toolChoiceKeys, copy);
  return copy;
}

function copyThinking(thinking: unknown): unknown {
  if (!isPlainRecord(thinking) || typeof thinking.type !== 'string') return undefined;
  if (!thinkingTypes.has(thinking.type)) return undefined;
  const budget = thinking.budget_tokens;
  const copy: PlainRecord = { type: thinking.type };
  if ('budget_tokens' in thinking) {
    if (typeof budget !== 'number' || !Number.isSafeInteger(budget) || budget < 0) {
      return undefined;
    }
    copy.budget_tokens = budget;
  }
  copyOthers(thinking, thinkingKeys, copy);
  return copy;
}

function copyMetadata(metadata: unknown): unknown {
  if (!isPlainRecord(metadata)) return undefined;
  const userId = metadata.user_id;
  if (userId !== undefined && userId !== null && typeof userId !== 'string') return undefined;
  const copy: PlainRecord = {};
  if ('user_id' in metadata) copy.user_id = userId;
  copyOthers(metadata, metadataKeys, copy);
  return copy;
}

function copyStopSequences(sequences: unknown): unknown {
  if (!Array.isArray(sequences)) return undefined;
  for (const sequence of sequences) if (typeof sequence !== 'string') return undefined;
  return [...sequences];
}

function copyNumber(value: unknown): unknown {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function copyBoolean(value: unknown): unknown {
  return typeof value === 'boolean' ? value : undefined;
}

/** The optional request fields in schema order, each with its check-and-copy (made once). */
const optionalFields: ReadonlyArray<readonly [string, (value: unknown) => unknown]> = [
  ['system', copySystem],
  ['tools', copyTools],
  ['tool_choice', copyToolChoice],
  ['thinking', copyThinking],
  ['metadata', copyMetadata],
  ['stop_sequences', copyStopSequences],
  ['stream', copyBoolean],
  ['temperature', copyNumber],
  ['top_p', copyNumber],
  ['top_k', copyNumber],
];
