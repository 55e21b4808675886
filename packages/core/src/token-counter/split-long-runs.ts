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

/** The cl100k pre-tokenizer's character classes, with an ASCII fast path. */
function classify(codePoint: number): number {
  if (codePoint < 0x80) {
    if ((codePoint >= 0x61 && codePoint <= 0x7a) || (codePoint >= 0x41 && codePoint <= 0x5a))
      return LETTER;
    if (codePoint >= 0x30 && codePoint <= 0x39) return DIGIT;
    if (codePoint === 0x20 || (codePoint >= 0x09 && codePoint <= 0x0d)) return SPACE;
    return OTHER;
  }
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
 * Splits `text` so that no run of letters, of whitespace, or of other symbols is longer than
 * `maxRunLength` code points (digits are left alone: cl100k groups them by three anyway). One linear
 * pass over the characters. Returns null when nothing needs splitting (the common case; the caller
 * encodes the text whole, and the count is exact).
 */
export function splitLongRuns(text: string, maxRunLength = defaultMaxRunLength): string[] | null {
  if (text.length <= maxRunLength) return null;
  let segments: string[] | null = null;
  let segmentStart = 0;
  let runClass = -1;
  let runLength = 0;
  for (let index = 0; index < text.length; ) {
    const codePoint = text.codePointAt(index) ?? 0;
    const width = codePoint > 0xffff ? 2 : 1;
    const characterClass = classify(codePoint);
    if (characterClass === runClass) {
      runLength++;
      if (runLength > maxRunLength && characterClass !== DIGIT) {
        segments ??= [];
        segments.push(text.slice(segmentStart, index));
        segmentStart = index;
        runLength = 1;
      }
    } else {
      runClass = characterClass;
      runLength = 1;
    }
    index += width;
  }
  if (segments === null) return null;
  segments.push(text.slice(segmentStart));
  return segments;
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
