/**
 * BPE merges inside one pre-token cost time quadratic in its length, and tiktoken's cl100k
 * pre-tokenizer never splits a run of letters, of punctuation/symbols, or of whitespace. A run of
 * 100k identical characters therefore freezes a naive counter for seconds. These helpers find such
 * runs so they can be encoded in bounded pieces: the count of a split run differs from the exact one
 * by at most about one token per piece, and ordinary text (words, code, JSON) is never split.
 */

/** Runs longer than this are split (longer than any real word or identifier). */
export const defaultMaxRunLength = 128;

const runPatterns = new Map<number, RegExp>();

function runPattern(maxRunLength: number): RegExp {
  let pattern = runPatterns.get(maxRunLength);
  if (!pattern) {
    const limit = maxRunLength + 1;
    pattern = new RegExp(`\\p{L}{${limit},}|[^\\s\\p{L}\\p{N}]{${limit},}|\\s{${limit},}`, 'gu');
    runPatterns.set(maxRunLength, pattern);
  }
  return pattern;
}

/**
 * Splits `text` into segments no single pre-token of which exceeds `maxRunLength` characters.
 * Returns null when the text has no such run (the common case; the caller encodes it whole).
 */
export function splitLongRuns(text: string, maxRunLength = defaultMaxRunLength): string[] | null {
  if (text.length <= maxRunLength) return null;
  const pattern = runPattern(maxRunLength);
  pattern.lastIndex = 0;
  let segments: string[] | null = null;
  let cursor = 0;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    segments ??= [];
    if (match.index > cursor) segments.push(text.slice(cursor, match.index));
    const end = match.index + match[0].length;
    let start = match.index;
    while (start < end) {
      let pieceEnd = Math.min(start + maxRunLength, end);
      // Never cut a surrogate pair in half: that would turn one character into two U+FFFD.
      if (pieceEnd < end && isLowSurrogate(text.charCodeAt(pieceEnd))) pieceEnd += 1;
      segments.push(text.slice(start, pieceEnd));
      start = pieceEnd;
    }
    cursor = end;
  }
  if (segments === null) return null;
  if (cursor < text.length) segments.push(text.slice(cursor));
  return segments;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
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
