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
import {
  type ChunkShape,
  type ChunkShapes,
  type ShapedFrame,
  readStringLiteral,
} from './openai-chunk-shapes.js';

/**
 * A shaped chunk's translation, from its string's length (as parsed) and its JSON text (as
 * `JSON.stringify` writes it), or undefined to decline.
 */
export type TranslateShapedString = (
  shape: ChunkShape,
  length: number,
  json: string,
) => string | undefined;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Translates the shaped frames of `text` from `position` (an event boundary), appending their
 * output to `output.text`; returns where the first frame it did not take starts.
 */
export function readShapedFrames(
  shapes: ChunkShapes,
  text: string,
  position: number,
  output: TranslatedText,
  translate: TranslateShapedString,
): number {
  for (const shape of shapes.learned) {
    const frame = shape.frame;
    if (frame === undefined) continue;
    if (text.substring(position, position + frame.head.length) !== frame.head) continue;
    // The first shape whose prefix fits decides, as in `match`.
    return readRun(shape, frame, text, position, output, translate);
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
): number {
  let start = position;
  let literalStart = position + frame.head.length;
  for (;;) {
    if (text.charCodeAt(literalStart) !== QUOTE) return start;
    const plainEnd = skipPlainASCII(text, literalStart + 1);
    const plain = text.charCodeAt(plainEnd) === QUOTE;
    const closing = plain ? plainEnd : findClosingQuote(text, plainEnd);
    if (closing === -1) return start;
    const after = closing + 1;
    // The next frame of the same shape follows (the usual case), or this frame is the run's last.
    const joined = text.substring(after, after + frame.joint.length) === frame.joint;
    if (!joined && text.substring(after, after + frame.tail.length) !== frame.tail) return start;
    let length: number;
    let json: string;
    if (plain) {
      // (Printable ASCII without escapes: the literal is its own JSON, one character per byte.)
      length = closing - literalStart - 1;
      json = text.slice(literalStart, after);
    } else {
      const literal = readStringLiteral(text.slice(literalStart, after));
      if (literal === undefined) return start;
      length = literal.value.length;
      json = literal.json;
    }
    const translated = translate(shape, length, json);
    if (translated === undefined) return start;
    output.text += translated;
    start = after + frame.tail.length;
    if (!joined) return start;
    literalStart = after + frame.joint.length;
  }
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
