/**
 * The frames of a long OpenAI stream read straight from the stream's text: after a chunk of a
 * shape was learned (see `ChunkShapes`), most frames are `data: <prefix>"<string>"<suffix>\n\n`
 * with the same prefix and suffix, back to back. At an event boundary, a run of such frames is
 * translated with one string comparison per frame (the text between two strings, `joint`), a scan
 * of the string, and no line search, message object or payload slice (see `FrameReader`).
 *
 * The result is exactly what the events would give through `ChunkShapes.match`: a frame that is
 * this text ends at its blank line and carries this one `data` line (the string holds no line end,
 * the prefix and suffix hold none), shapes are tried in `match`'s order, and whatever is not such
 * a frame (another shape, an escape that does not parse, a frame cut by the end of the text, a
 * chunk the state machine must see whole) is left where it starts, for the ordinary way.
 */
import type { TranslatedText } from '../../sse/create-sse-translate-stream.js';
import type { DeltaFraming } from '../../sse/encode-sse-event.js';
import { isASCIIText } from '../../sse/latin1-sse-text.js';
import {
  type ChunkShape,
  type ChunkShapes,
  type ShapedFrame,
  readStringLiteral,
} from './openai-chunk-shapes.js';

/**
 * A shaped chunk's translation, from its string's length (as parsed) and its JSON text (as
 * `JSON.stringify` writes it), or undefined to decline. The text it adds around the JSON text is
 * ASCII (see `TranslatedText.ascii`).
 */
export type TranslateShapedString = (
  shape: ChunkShape,
  length: number,
  json: string,
) => string | undefined;

/**
 * The translation of a run of shaped chunks whose strings are all printable ASCII without escapes
 * and not empty, `length` characters in all: the (ASCII) text around each string's JSON text, the
 * same for every chunk of the run, or undefined to decline (as `TranslateShapedString` would
 * decline the run's first chunk). It must give what one `TranslateShapedString` call per chunk
 * would.
 */
export type TranslateShapedRun = (shape: ChunkShape, length: number) => DeltaFraming | undefined;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Translates the shaped frames of `text` from `position` (an event boundary), appending their
 * output to `output.text`; returns where the first frame it did not take starts. With
 * `translateRun`, consecutive plain frames are translated together.
 */
export function readShapedFrames(
  shapes: ChunkShapes,
  text: string,
  position: number,
  output: TranslatedText,
  translate: TranslateShapedString,
  translateRun?: TranslateShapedRun,
): number {
  for (const shape of shapes.learned) {
    const frame = shape.frame;
    if (frame === undefined) continue;
    if (text.substring(position, position + frame.head.length) !== frame.head) continue;
    // The first shape whose prefix fits decides, as in `match`.
    return readRun(shape, frame, text, position, output, translate, translateRun);
  }
  return position;
}

function readRun(
  shape: ChunkShape,
  frame: ShapedFrame,
  text: string,
  position: number,
  output: TranslatedText,
  translate: TranslateShapedString,
  translateRun: TranslateShapedRun | undefined,
): number {
  let start = position;
  let literalStart = position + frame.head.length;
  // The plain frames read and not translated yet (a batch): their string literals, from the frame
  // at `batchStart` on, `batchLength` characters in all.
  let batchStart = -1;
  let batchLength = 0;
  const batch: string[] = [];
  for (;;) {
    if (text.charCodeAt(literalStart) !== QUOTE) break;
    const plainEnd = skipPlainASCII(text, literalStart + 1);
    const plain = text.charCodeAt(plainEnd) === QUOTE;
    const closing = plain ? plainEnd : findClosingQuote(text, plainEnd);
    if (closing === -1) break;
    const after = closing + 1;
    // The next frame of the same shape follows (the usual case), or this frame is the run's last.
    const joined = text.substring(after, after + frame.joint.length) === frame.joint;
    if (!joined && text.substring(after, after + frame.tail.length) !== frame.tail) break;
    if (plain && after - literalStart > 2 && translateRun !== undefined) {
      if (batchStart === -1) {
        batchStart = start;
        batchLength = 0;
      }
      // (Printable ASCII without escapes: the literal is its own JSON, one character per byte.)
      batch.push(text.slice(literalStart, after));
      batchLength += after - literalStart - 2;
    } else {
      if (batchStart !== -1) {
        if (!translateBatch(shape, batch, batchLength, output, translateRun)) return batchStart;
        batchStart = -1;
      }
      if (!translateFrame(shape, text, literalStart, after, plain, output, translate)) {
        return start;
      }
    }
    start = after + frame.tail.length;
    if (!joined) break;
    literalStart = after + frame.joint.length;
  }
  if (batchStart === -1) return start;
  return translateBatch(shape, batch, batchLength, output, translateRun) ? start : batchStart;
}

/**
 * The plain frames of a batch translated as a whole, from their string literals (`length`
 * characters in all); false when `translateRun` declines (or is missing). Empties `literals`.
 */
function translateBatch(
  shape: ChunkShape,
  literals: string[],
  length: number,
  output: TranslatedText,
  translateRun: TranslateShapedRun | undefined,
): boolean {
  const framing = translateRun?.(shape, length);
  if (framing === undefined) return false;
  // One join into a flat string, instead of three strings joined per frame (each a rope node
  // that encoding the output walks again).
  output.text += `${framing.head}${literals.join(framing.between)}${framing.tail}`;
  literals.length = 0;
  return true;
}

/** One frame's string translated with `translate`; false when it declines. */
function translateFrame(
  shape: ChunkShape,
  text: string,
  literalStart: number,
  after: number,
  plain: boolean,
  output: TranslatedText,
  translate: TranslateShapedString,
): boolean {
  let length: number;
  let json: string;
  if (plain) {
    // (Printable ASCII without escapes: the literal is its own JSON, one character per byte.)
    length = after - literalStart - 2;
    json = text.slice(literalStart, after);
  } else {
    const literal = readStringLiteral(text.slice(literalStart, after));
    if (literal === undefined) return false;
    length = literal.value.length;
    json = literal.json;
    if (output.ascii === true && !isASCIIText(json)) output.ascii = false;
  }
  const translated = translate(shape, length, json);
  if (translated === undefined) return false;
  output.text += translated;
  return true;
}

/** The first index from `index` not holding printable ASCII other than a quote or backslash. */
function skipPlainASCII(text: string, index: number): number {
  let at = index;
  for (;;) {
    const code = text.charCodeAt(at);
    // (NaN past the end fails every comparison.)
    if (code >= 0x20 && code < 0x80 && code !== QUOTE && code !== BACKSLASH) at++;
    else return at;
  }
}

/**
 * The index of the quote closing a string literal, scanning from `index` inside it (escapes
 * skipped), or -1 at a control character (a line end among them) or the end of the text.
 */
function findClosingQuote(text: string, index: number): number {
  for (let at = index; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === QUOTE) return at;
    if (code < 0x20) return -1;
    if (code === BACKSLASH) {
      // (An escaped line end still ends the line.)
      if (!(text.charCodeAt(at + 1) >= 0x20)) return -1;
      at++;
    }
  }
  return -1;
}
