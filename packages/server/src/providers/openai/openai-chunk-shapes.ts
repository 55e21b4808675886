/**
 * Most chunks of an OpenAI stream repeat the previous chunk's JSON byte for byte except for one
 * string: the text (`choices[0].delta.content`) or a tool call's argument fragment. Vendors resend
 * `id`, `object`, `created`, `model`, `index` and `finish_reason: null` with every 5-character
 * delta, so a full `JSON.parse` per chunk (and a `JSON.stringify` per Anthropic event) is most of
 * what translating a long stream costs.
 *
 * A `ChunkShapes` learns, from a chunk that was parsed the ordinary way, the text before and after
 * that one string (its "shape"); a later payload with the same text around a single JSON string
 * literal is then read without `JSON.parse`. The match is exact: such a payload parses to the
 * learned chunk with only that string replaced, so the translation can treat it like the parsed
 * chunk (see `OpenAIStreamState.pushTextDelta` / `pushToolArgumentsDelta`). Anything else (another
 * shape, an escape it cannot vouch for, a literal that would not parse) is left to the ordinary
 * path, which also reports malformed chunks.
 *
 * Payloads are Latin-1 text (see `latin1-sse-text.ts`): the prefix and suffix compare bytes, and
 * only a string that holds non-ASCII characters gets decoded.
 */

import { decodeLatin1AsUTF8 } from '../../sse/latin1-sse-text.js';

/** Which string of the chunk varies. */
export type ChunkShapeKind = 'text' | 'tool-arguments';

export interface ChunkShape {
  kind: ChunkShapeKind;
  prefix: string;
  suffix: string;
  /** tool-arguments: the tool call's key in the stream state (`index`, or its position 0). */
  toolKey: number;
  /** tool-arguments: the `id` and `function.name` the chunk repeats, if any. */
  toolId: string | undefined;
  toolName: string | undefined;
  /** The shape as a whole SSE frame (see `openai-shaped-frames.ts`), unless it spans lines. */
  frame: ShapedFrame | undefined;
}

/** The text around the varying string of a shape's SSE frame `data: <prefix>"…"<suffix>\n\n`. */
export interface ShapedFrame {
  /** `data: <prefix>`: the frame up to the string. */
  head: string;
  /** `<suffix>\n\n`: the frame after the string. */
  tail: string;
  /** `tail` then `head`: between the strings of two frames in a row. */
  joint: string;
}

/** A payload that matched a learned shape. */
export interface ShapedChunk {
  kind: ChunkShapeKind;
  /** The varying string, as `JSON.parse` would return it. */
  value: string;
  /** `value` as a JSON string literal, as `JSON.stringify(value)` writes it. */
  json: string;
  toolKey: number;
  toolId: string | undefined;
  toolName: string | undefined;
}

type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
const isNullish = (value: unknown) => value === undefined || value === null;

/** Shapes kept at once: the text and the tool-call shape of a stream that alternates. */
const maxShapes = 2;
/** Learning costs a second parse: a stream whose chunks never repeat stops trying. */
const maxLearnings = 16;
/** A string value the probe parse writes; a chunk already holding it is not learned from. */
const probeValue = 'conduit-shape-probe';

export class ChunkShapes {
  private readonly shapes: ChunkShape[] = [];
  private learnings = 0;

  /** The learned shapes, most recently learned first (the order `match` tries them in). */
  get learned(): readonly ChunkShape[] {
    return this.shapes;
  }

  /** The (Latin-1) payload as a learned shape with its varying string, or undefined. */
  match(data: string): ShapedChunk | undefined {
    for (const shape of this.shapes) {
      const { prefix, suffix } = shape;
      const end = data.length - suffix.length;
      // `substring(…) ===` compares memory at once; `startsWith` and `endsWith` go character by
      // character, and cost more than the JSON.parse this saves.
      if (
        end - prefix.length < 2 ||
        data.substring(end) !== suffix ||
        data.substring(0, prefix.length) !== prefix
      ) {
        continue;
      }
      const literal = readStringLiteral(data.slice(prefix.length, end));
      if (literal === undefined) return undefined;
      return {
        kind: shape.kind,
        value: literal.value,
        json: literal.json,
        toolKey: shape.toolKey,
        toolId: shape.toolId,
        toolName: shape.toolName,
      };
    }
    return undefined;
  }

  /**
   * Learns the shape of the (Latin-1) payload `data`, whose parse is `chunk` (already accepted by
   * the chunk check), when only its text or its one tool call's argument fragment would vary.
   */
  learn(data: string, chunk: Loose): void {
    if (this.learnings >= maxLearnings) return;
    const candidate = describeVaryingString(chunk);
    if (!candidate || candidate.value === probeValue) return;
    this.learnings++;
    const located = locateStringValue(data, candidate.key);
    if (!located) return;
    // Copies: a slice would keep the whole upstream read it was cut from alive with the stream.
    const prefix = flatLatin1(data.slice(0, located.start));
    const suffix = flatLatin1(data.slice(located.end));
    // The probe proves the located literal is the one the parse reads (not a duplicate key or a
    // look-alike inside another string): written there, it must come back at the same path.
    let probed: unknown;
    try {
      probed = JSON.parse(decodeLatin1AsUTF8(`${prefix}"${probeValue}"${suffix}`));
    } catch {
      return;
    }
    if (!isObject(probed) || describeVaryingString(probed)?.value !== probeValue) return;
    const shape: ChunkShape = {
      kind: candidate.kind,
      prefix,
      suffix,
      toolKey: candidate.toolKey,
      toolId: candidate.toolId,
      toolName: candidate.toolName,
      frame: describeFrame(prefix, suffix),
    };
    this.shapes.unshift(shape);
    if (this.shapes.length > maxShapes) this.shapes.pop();
  }
}

function describeFrame(prefix: string, suffix: string): ShapedFrame | undefined {
  // A line end inside would make the payload several `data:` lines.
  if (/[\r\n]/.test(prefix) || /[\r\n]/.test(suffix)) return undefined;
  const head = `data: ${prefix}`;
  const tail = `${suffix}\n\n`;
  return { head: flatLatin1(head), tail: flatLatin1(tail), joint: flatLatin1(tail + head) };
}

/**
 * Latin-1 `text` as one flat string: compared once per frame, a string joined from pieces (or
 * sliced from a whole read, which it would also keep alive) costs more.
 */
const flatLatin1 = (text: string) => Buffer.from(text, 'latin1').toString('latin1');

interface VaryingString {
  kind: ChunkShapeKind;
  key: string;
  value: string;
  toolKey: number;
  toolId: string | undefined;
  toolName: string | undefined;
}

/**
 * The one string of a chunk that a shape may vary, when the chunk carries nothing else the state
 * machine acts on: no error, usage, finish reason or reasoning, and either text alone or exactly
 * one tool call's fragment (with no text).
 */
function describeVaryingString(chunk: Loose): VaryingString | undefined {
  if (!isNullish(chunk.error) || !isNullish(chunk.usage)) return undefined;
  const choices = chunk.choices;
  if (!Array.isArray(choices) || choices.length === 0) return undefined;
  const choice = choices[0] as unknown;
  if (!isObject(choice) || choice.finish_reason) return undefined;
  const delta = choice.delta;
  if (!isObject(delta) || (delta.reasoning_content ?? delta.reasoning)) return undefined;
  const none = { toolKey: 0, toolId: undefined, toolName: undefined };
  if (typeof delta.content === 'string') {
    if (!isNullish(delta.tool_calls)) return undefined;
    return { kind: 'text', key: 'content', value: delta.content, ...none };
  }
  if (delta.content ?? delta.refusal) return undefined;
  const calls = delta.tool_calls;
  if (!Array.isArray(calls) || calls.length !== 1) return undefined;
  const call = calls[0] as unknown;
  if (!isObject(call) || !isObject(call.function)) return undefined;
  const fragment = call.function.arguments;
  if (typeof fragment !== 'string') return undefined;
  const { index, id } = call;
  const name = call.function.name;
  return {
    kind: 'tool-arguments',
    key: 'arguments',
    value: fragment,
    toolKey: typeof index === 'number' ? index : 0,
    toolId: typeof id === 'string' ? id : undefined,
    toolName: typeof name === 'string' ? name : undefined,
  };
}

const isJSONWhitespace = (code: number) =>
  code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;

/** Where the string value of the last `"<key>":` in `data` starts and ends (quotes included). */
function locateStringValue(data: string, key: string): { start: number; end: number } | undefined {
  const keyAt = data.lastIndexOf(`"${key}"`);
  if (keyAt === -1) return undefined;
  let index = keyAt + key.length + 2;
  while (isJSONWhitespace(data.charCodeAt(index))) index++;
  if (data.charCodeAt(index) !== 0x3a) return undefined;
  index++;
  while (isJSONWhitespace(data.charCodeAt(index))) index++;
  if (data.charCodeAt(index) !== 0x22) return undefined;
  const start = index;
  for (index = start + 1; index < data.length; index++) {
    const code = data.charCodeAt(index);
    if (code === 0x5c) index++;
    else if (code === 0x22) return { start, end: index + 1 };
  }
  return undefined;
}

/**
 * `text` (Latin-1) read as exactly one JSON string literal: its value and its `JSON.stringify`
 * form; undefined when `text` is anything else (then the whole payload would not parse to the
 * learned shape).
 */
export function readStringLiteral(text: string): { value: string; json: string } | undefined {
  const last = text.length - 1;
  if (text.charCodeAt(0) !== 0x22 || text.charCodeAt(last) !== 0x22) return undefined;
  let escaped = false;
  let ascii = true;
  for (let index = 1; index < last; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x22 || code < 0x20) return undefined;
    if (code === 0x5c) {
      // Escapes take the exact way (JSON.parse, then JSON.stringify).
      escaped = true;
      break;
    }
    if (code >= 0x80) ascii = false;
  }
  if (!escaped) {
    if (ascii) return { value: text.slice(1, last), json: text };
    // Decoded UTF-8 holds no quote, backslash, control character or lone surrogate: nothing
    // JSON.stringify would escape.
    const value = decodeLatin1AsUTF8(text.slice(1, last));
    return { value, json: `"${value}"` };
  }
  let value: unknown;
  try {
    value = JSON.parse(decodeLatin1AsUTF8(text));
  } catch {
    return undefined;
  }
  return typeof value === 'string' ? { value, json: JSON.stringify(value) } : undefined;
}
