import type { OpenAIChatChunk, OpenAIChatResponse } from './openai-api.js';

type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const isNullish = (value: unknown) => value === undefined || value === null;
const isNullishString = (value: unknown) => isNullish(value) || typeof value === 'string';
const isNullishNumber = (value: unknown) =>
  isNullish(value) || (typeof value === 'number' && Number.isFinite(value));

/** Unlike `Array.prototype.every`, visits holes too (the schema rejects them). */
function isArrayOf(value: unknown, check: (item: unknown) => boolean): boolean {
  if (!Array.isArray(value)) return false;
  for (let index = 0; index < value.length; index++) if (!check(value[index])) return false;
  return true;
}

function isUsage(value: unknown): boolean {
  if (isNullish(value)) return true;
  if (!isObject(value)) return false;
  const details = value.prompt_tokens_details;
  return (
    isNullishNumber(value.prompt_tokens) &&
    isNullishNumber(value.completion_tokens) &&
    isNullishNumber(value.prompt_cache_hit_tokens) &&
    (isNullish(details) || (isObject(details) && isNullishNumber(details.cached_tokens)))
  );
}

function isToolCallDelta(value: unknown): boolean {
  if (!isObject(value)) return false;
  const fn = value.function;
  return (
    isNullishNumber(value.index) &&
    isNullishString(value.id) &&
    (isNullish(fn) || (isObject(fn) && isNullishString(fn.name) && isNullishString(fn.arguments)))
  );
}

function isChoice(value: unknown): boolean {
  if (!isObject(value) || !isNullishString(value.finish_reason)) return false;
  const delta = value.delta;
  if (isNullish(delta)) return true;
  if (!isObject(delta)) return false;
  const toolCalls = delta.tool_calls;
  return hasTextFields(delta) && (isNullish(toolCalls) || isArrayOf(toolCalls, isToolCallDelta));
}

/** The text fields a stream delta and an answer's message share, each absent or a string. */
function hasTextFields(part: Loose): boolean {
  return (
    isNullishString(part.content) &&
    isNullishString(part.reasoning_content) &&
    isNullishString(part.reasoning) &&
    isNullishString(part.refusal)
  );
}

/**
 * A cheap structural check of a parsed stream payload against `openaiChatChunkSchema`, for the
 * per-chunk hot path (zod's `safeParse` allocates a copy of every chunk). It never accepts what
 * the schema rejects; it may reject what the schema accepts (callers then ask the schema).
 */
export function isOpenAIChatChunk(payload: Loose): payload is OpenAIChatChunk & Loose {
  const choices = payload.choices;
  return (
    isNullishString(payload.id) &&
    isNullishString(payload.model) &&
    (isNullish(choices) || isArrayOf(choices, isChoice)) &&
    isUsage(payload.usage)
  );
}

function isToolCall(value: unknown): boolean {
  if (!isObject(value)) return false;
  const fn = value.function;
  // Arguments given as an object (the schema's other branch) are left to the schema.
  return (
    isNullishString(value.id) &&
    isNullishString(value.type) &&
    isObject(fn) &&
    isNullishString(fn.name) &&
    isNullishString(fn.arguments)
  );
}

function isResponseChoice(value: unknown): boolean {
  if (!isObject(value) || !isNullishString(value.finish_reason)) return false;
  const message = value.message;
  if (!isObject(message)) return false;
  const toolCalls = message.tool_calls;
  return hasTextFields(message) && (isNullish(toolCalls) || isArrayOf(toolCalls, isToolCall));
}

/**
 * The same cheap check for a whole (non-streamed) answer against `openaiChatResponseSchema`:
 * never true for what the schema rejects, possibly false for what it accepts (callers then ask
 * the schema). Where it is true the payload can be read as it is: the schema's result would be a
 * copy with the same values in the fields it names.
 */
export function isOpenAIChatResponse(payload: unknown): payload is OpenAIChatResponse & Loose {
  return (
    isObject(payload) &&
    isNullishString(payload.id) &&
    isNullishString(payload.model) &&
    isArrayOf(payload.choices, isResponseChoice) &&
    isUsage(payload.usage)
  );
}
