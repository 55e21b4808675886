/**
 * Counts `cl100k_base` tokens over a {@link CompactRankTable}: gpt-tokenizer's algorithm (the
 * cl100k pre-tokenizer regex, then byte-pair merges inside each piece, lowest rank first) on typed
 * arrays, so a count allocates only the regex matches. Counts equal gpt-tokenizer's `countTokens`
 * with no special tokens allowed, including its quirks (see `rankOfSpan`); a randomized test checks
 * that against gpt-tokenizer itself.
 * @module
 */
import type { CompactRankTable } from './compact-rank-table.js';

/**
 * gpt-tokenizer's `CL100K_TOKEN_SPLIT_PATTERN` (tiktoken's, with the contraction suffixes spelled
 * case-insensitively); a test checks it is still the same.
 */
export const cl100kSplitPattern = String.raw`'(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s+$|\s*[\r\n]|\s+(?!\S)|\s`;

const notARank = 0x7fffffff;

/** The counting part of gpt-tokenizer's encoding API that `TokenCounter` uses. */
export interface CompactCl100kEncoder {
  countTokens(text: string, options?: unknown): number;
}

export function createCompactCl100kEncoder(table: CompactRankTable): CompactCl100kEncoder {
  const splitter = new RegExp(cl100kSplitPattern, 'gu');
  // Scratch space, grown to the longest piece seen (pieces are words, so it stays small).
  let bytes = new Uint8Array(256);
  let starts = new Int32Array(257);
  let ranks = new Int32Array(257);

  /**
   * gpt-tokenizer looks bytes up by decoding them as UTF-8 when they are valid, with a decoder that
   * drops a leading byte order mark, and otherwise by the bytes. So valid bytes that start with
   * EF BB BF rank as the string after the mark (and the mark alone as the empty string), and no
   * valid bytes that start with it are found as themselves. `end` ends on a character boundary
   * when the next byte is not a continuation byte: the piece as a whole is valid UTF-8.
   */
  const rankOfSpan = (start: number, end: number, length: number): number => {
    if (
      end - start >= 3 &&
      bytes[start] === 0xef &&
      bytes[start + 1] === 0xbb &&
      bytes[start + 2] === 0xbf &&
      (end === length || ((bytes[end] as number) & 0xc0) !== 0x80)
    ) {
      const rest = start + 3;
      if (rest === end) return table.emptyRank;
      if (
        end - rest >= 3 &&
        bytes[rest] === 0xef &&
        bytes[rest + 1] === 0xbb &&
        bytes[rest + 2] === 0xbf
      ) {
        return -1;
      }
      return table.rankOf(bytes, rest, end);
    }
    return table.rankOf(bytes, start, end);
  };

  /** UTF-8 of `piece` into `bytes` (lone surrogates as U+FFFD, as `TextEncoder`); -length when the piece has lone surrogates. */
  const encodePiece = (piece: string): number => {
    if (bytes.length < piece.length * 3) bytes = new Uint8Array(piece.length * 3);
    let written = 0;
    let wellFormed = true;
    for (let index = 0; index < piece.length; index++) {
      let code = piece.charCodeAt(index);
      if (code < 0x80) {
        bytes[written++] = code;
        continue;
      }
      if (code < 0x800) {
        bytes[written++] = 0xc0 | (code >> 6);
        bytes[written++] = 0x80 | (code & 0x3f);
        continue;
      }
      if (code >= 0xd800 && code <= 0xdfff) {
        const next = index + 1 < piece.length ? piece.charCodeAt(index + 1) : 0;
        if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          const codePoint = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
          index++;
          bytes[written++] = 0xf0 | (codePoint >> 18);
          bytes[written++] = 0x80 | ((codePoint >> 12) & 0x3f);
          bytes[written++] = 0x80 | ((codePoint >> 6) & 0x3f);
          bytes[written++] = 0x80 | (codePoint & 0x3f);
          continue;
        }
        wellFormed = false;
        code = 0xfffd;
      }
      bytes[written++] = 0xe0 | (code >> 12);
      bytes[written++] = 0x80 | ((code >> 6) & 0x3f);
      bytes[written++] = 0x80 | (code & 0x3f);
    }
    return wellFormed ? written : -written;
  };

  /** Parts left after merging byte pairs lowest rank first (gpt-tokenizer's `bytePairMerge`). */
  const mergedParts = (length: number): number => {
    if (starts.length < length + 1) {
      starts = new Int32Array(length + 1);
      ranks = new Int32Array(length + 1);
    }
    for (let index = 0; index <= length; index++) {
      starts[index] = index;
      ranks[index] = notARank;
      if (index < length - 1) {
        const rank = rankOfSpan(index, index + 2, length);
        if (rank >= 0) ranks[index] = rank;
      }
    }
    let count = length + 1;
    while (count > 1) {
      let lowest = notARank;
      let at = -1;
      for (let index = 0; index < count - 1; index++) {
        const rank = ranks[index] as number;
        if (rank < lowest) {
          lowest = rank;
          at = index;
        }
      }
      if (at === -1) break;
      starts.copyWithin(at + 1, at + 2, count);
      ranks.copyWithin(at, at + 1, count);
      count--;
      ranks[at] = pairRank(at, count, length);
      if (at > 0) ranks[at - 1] = pairRank(at - 1, count, length);
    }
    return count - 1;
  };

  const pairRank = (index: number, count: number, length: number): number => {
    if (index + 2 >= count) return notARank;
    const rank = rankOfSpan(starts[index] as number, starts[index + 2] as number, length);
    return rank >= 0 ? rank : notARank;
  };

  const countPiece = (piece: string): number => {
    const encoded = encodePiece(piece);
    const length = encoded < 0 ? -encoded : encoded;
    if (length <= 1) return length;
    // The whole piece as one token: gpt-tokenizer looks the piece up as a string, which finds
    // neither a string with lone surrogates nor one starting with a byte order mark.
    if (
      encoded > 0 &&
      !(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) &&
      table.rankOf(bytes, 0, length) >= 0
    ) {
      return 1;
    }
    return mergedParts(length);
  };

  return {
    countTokens(text: string): number {
      let count = 0;
      splitter.lastIndex = 0;
      for (let match = splitter.exec(text); match !== null; match = splitter.exec(text)) {
        count += countPiece(match[0]);
      }
      return count;
    },
  };
}
