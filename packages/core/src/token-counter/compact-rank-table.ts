/**
 * The `cl100k_base` rank table in three typed arrays instead of gpt-tokenizer's 100k JavaScript
 * strings, `Map` entries and byte arrays. gpt-tokenizer's structures took about 10 MB of V8 heap
 * that every later garbage collection copied or marked, and their allocation grew V8's young
 * generation to its maximum; typed arrays live outside the heap and take about 2.5 MB: the token
 * bytes back to back, where each token starts, and an open-addressing hash table from bytes to rank.
 * @module
 */

/** Token bytes → rank, keyed on the UTF-8 bytes themselves (no strings are built to look up). */
export interface CompactRankTable {
  /** The rank of `bytes[start, end)`, or -1 when those bytes are not a token. */
  rankOf(bytes: Uint8Array, start: number, end: number): number;
  /** The rank of the token whose bytes are empty: none in a well-formed table (-1). */
  readonly emptyRank: number;
  /** Number of tokens in the table. */
  readonly size: number;
}

const space = 0x20;
const newline = 0x0a;
const base64Values = new Int8Array(128).fill(-1);
for (const [index, character] of [
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
].entries()) {
  base64Values[character.charCodeAt(0)] = index;
}

/** FNV-1a over `bytes[start, end)`: cheap, and spreads the table's short byte strings well. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5 | 0;
  for (let index = start; index < end; index++) {
    hash = Math.imul(hash ^ (bytes[index] as number), 0x01000193);
  }
  return hash;
}

/**
 * Reads a tiktoken rank file (`<base64 bytes> <rank>` per line), decoding it in place: `file` is
 * overwritten (pass a buffer nobody else reads). Where two lines hold the same
 * bytes the later one wins, and ranks no line names are unused (gpt-tokenizer maps the empty
 * string to the last of them: {@link CompactRankTable.emptyRank}).
 */
export function parseCompactRankTable(file: Uint8Array): CompactRankTable {
  let lines = 1;
  for (let position = 0; position < file.length; position++) {
    if (file[position] === newline) lines++;
  }
  // Decoded in place: 4 base64 characters become 3 bytes, so the bytes written never overtake the
  // characters read. The caller's buffer is overwritten and only the decoded part is kept (copied).
  const decoded = file;
  const starts = new Int32Array(lines + 1);
  const ranks = new Int32Array(lines);
  let tokens = 0;
  let written = 0;
  let maxRank = -1;
  let position = 0;
  while (position < file.length) {
    const start = written;
    let bits = 0;
    let bitCount = 0;
    let byte = file[position] as number;
    // Base64 up to the space; padding '=' and anything else outside the alphabet is skipped.
    while (byte !== space && byte !== newline && position < file.length) {
      const value = byte < 128 ? (base64Values[byte] as number) : -1;
      if (value >= 0) {
        bits = ((bits << 6) | value) & 0xffffff;
        bitCount += 6;
        if (bitCount >= 8) {
          bitCount -= 8;
          decoded[written++] = (bits >> bitCount) & 0xff;
        }
      }
      byte = file[++position] as number;
    }
    let rank = -1;
    if (byte === space) {
      rank = 0;
      byte = file[++position] as number;
      while (byte >= 0x30 && byte <= 0x39) {
        rank = rank * 10 + (byte - 0x30);
        byte = file[++position] as number;
      }
    }
    while (position < file.length && file[position] !== newline) position++;
    position++;
    if (rank < 0 || written === start) {
      written = start;
      continue;
    }
    starts[tokens] = start;
    ranks[tokens] = rank;
    tokens++;
    if (rank > maxRank) maxRank = rank;
  }
  starts[tokens] = written;
  // A copy (a Buffer's `slice` would be a view that keeps the whole file alive).
  const bytes = new Uint8Array(written);
  bytes.set(decoded.subarray(0, written));
  return buildTable(bytes, starts, ranks, tokens, maxRank);
}

/**
 * `starts[token]` to `starts[token + 1]` are a token's bytes and `ranks[token]` its rank, for
 * `tokens` tokens (the arrays may be longer). `ranks` becomes the table's token → rank array.
 */
function buildTable(
  bytes: Uint8Array,
  starts: Int32Array,
  ranks: Int32Array,
  tokens: number,
  maxRank: number,
): CompactRankTable {
  let slots = 1;
  while (slots < tokens * 2) slots *= 2;
  const mask = slots - 1;
  // Slot → token index + 1 (0 is empty). Linear probing at load factor ≤ 0.5.
  const slotTokens = new Int32Array(slots);
  const used = new Uint8Array(maxRank + 1);
  const find = (key: Uint8Array, start: number, end: number): number => {
    const length = end - start;
    let slot = hashBytes(key, start, end) & mask;
    for (;;) {
      const entry = slotTokens[slot] as number;
      if (entry === 0) return -1 - slot;
      const tokenStart = starts[entry - 1] as number;
      if ((starts[entry] as number) - tokenStart === length) {
        let index = 0;
        while (index < length && bytes[tokenStart + index] === key[start + index]) index++;
        if (index === length) return entry - 1;
      }
      slot = (slot + 1) & mask;
    }
  };
  for (let token = 0; token < tokens; token++) {
    const rank = ranks[token] as number;
    used[rank] = 1;
    const found = find(bytes, starts[token] as number, starts[token + 1] as number);
    // The same bytes twice: the later line wins, as in gpt-tokenizer's Map.
    if (found >= 0) ranks[found] = rank;
    else slotTokens[-1 - found] = token + 1;
  }
  let emptyRank = -1;
  for (let rank = maxRank; rank >= 0; rank--) {
    if (used[rank] === 0) {
      emptyRank = rank;
      break;
    }
  }
  // In tiktoken's files line n holds rank n: then the token index is the rank (0.4 MB less).
  let ranksAreIndexes = true;
  for (let token = 0; token < tokens && ranksAreIndexes; token++) {
    ranksAreIndexes = ranks[token] === token;
  }
  const rankOfToken = ranksAreIndexes ? undefined : ranks.slice(0, tokens);
  return {
    rankOf(key, start, end) {
      const token = find(key, start, end);
      if (token < 0) return -1;
      return rankOfToken === undefined ? token : (rankOfToken[token] as number);
    },
    emptyRank,
    size: tokens,
  };
}
