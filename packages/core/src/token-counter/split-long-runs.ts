/**
 * BPE merges inside one pre-token cost time quadratic in its length, and the cl100k
 * pre-tokenizer never splits a run of letters, of punctuation/symbols, or of whitespace. A run of
 * 100k identical characters therefore freezes a naive counter for seconds. These helpers find such
 * runs so they can be encoded in bounded pieces: the count of a split run differs from the exact one
 * by at most about one token per piece, and ordinary text (words, code, JSON) is never split.
 */

/** Runs longer than this are split (longer than any real word or identifier). */
export const defaultMaxRunLength = 128;

const LETTER = 0;
const DIGIT = 1;
const SPACE = 2;
const OTHER = 3;

const letterPattern = /\p{L}/u;
const digitPattern = /\p{N}/u;
const spacePattern = /\s/u;
const nonASCIIClasses = new Map<number, number>();

const asciiClasses = new Uint8Array(0x80).map((_, code) =>
  (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a)
    ? LETTER
    : code >= 0x30 && code <= 0x39
      ? DIGIT
      : code === 0x20 || (code >= 0x09 && code <= 0x0d)
        ? SPACE
        : OTHER,
);

/** The cl100k pre-tokenizer's character classes of a non-ASCII code point. */
function classifyNonASCII(codePoint: number): number {
  const known = nonASCIIClasses.get(codePoint);
  if (known !== undefined) return known;
  const character = String.fromCodePoint(codePoint);
  const found = letterPattern.test(character)
    ? LETTER
    : digitPattern.test(character)
      ? DIGIT
      : spacePattern.test(character)
        ? SPACE
        : OTHER;
  // Bounded memo: hostile input may walk through many distinct code points.
  if (nonASCIIClasses.size < 65_536) nonASCIIClasses.set(codePoint, found);
  return found;
}

/**
 * Where the piece of `text` that starts at `start` ends: at the first character that would make a
 * run of letters, of whitespace or of other symbols longer than `maxRunLength` code points (digits
 * are left alone: cl100k groups them by three anyway), or at the end of the text. Pieces are found
 * one at a time so that a count walks a multi-megabyte text without an array of its pieces.
 */
export function nextPieceEnd(
  text: string,
  start: number,
  maxRunLength = defaultMaxRunLength,
): number {
  const length = text.length;
  if (length - start <= maxRunLength) return length;
  let runClass = -1;
  let runLength = 0;
  for (let index = start; index < length; ) {
    const characterStart = index;
    const code = text.charCodeAt(index);
    let characterClass: number;
    if (code < 0x80) {
      characterClass = asciiClasses[code]!;
      index++;
    } else {
      const codePoint = text.codePointAt(index) ?? 0;
      characterClass = classifyNonASCII(codePoint);
      index += codePoint > 0xffff ? 2 : 1;
    }
    if (characterClass !== runClass) {
      runClass = characterClass;
      runLength = 1;
    } else if (++runLength > maxRunLength && characterClass !== DIGIT) {
      return characterStart;
    }
  }
  return length;
}

/**
 * `text` cut at every {@link nextPieceEnd}, or null when nothing needs cutting (the common case;
 * the caller encodes the text whole, and the count is exact).
 */
export function splitLongRuns(text: string, maxRunLength = defaultMaxRunLength): string[] | null {
  let end = nextPieceEnd(text, 0, maxRunLength);
  if (end === text.length) return null;
  const pieces: string[] = [];
  for (
    let start = 0;
    start < text.length;
    start = end, end = nextPieceEnd(text, end, maxRunLength)
  ) {
    pieces.push(text.slice(start, end));
  }
  return pieces;
}

/**
 * A cheap token estimate for text past the per-request work budget: about four ASCII characters per
 * token, one token per other character.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  for (let index = 0; index < text.length; index++) if (text.charCodeAt(index) < 0x80) ascii++;
  return Math.ceil(ascii / 4) + (text.length - ascii);
}
