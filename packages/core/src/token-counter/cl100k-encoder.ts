/**
 * The `cl100k_base` encoder, loaded on first use rather than when the package is imported.
 *
 * gpt-tokenizer ships the rank table twice: as a 1.1 MB JavaScript array literal
 * (`gpt-tokenizer/encoding/cl100k_base`) and as the original tiktoken file
 * (`gpt-tokenizer/data/cl100k_base.tiktoken`). Importing the literal keeps its source text, its
 * bytecode and V8's boilerplate copy of the array alive next to the table itself: about 40 MB of
 * resident memory and a few hundred milliseconds of start-up. Building the same table from the
 * tiktoken file (as gpt-tokenizer's own code generator does) keeps only the table, so a process
 * that never counts never pays and one that does pays about 15 MB less.
 *
 * The file and gpt-tokenizer's `GptEncoding` are resolved from this module's location, which works
 * from the ESM and CJS builds and from a bundle that keeps gpt-tokenizer external (the CLI). A
 * bundle that inlined gpt-tokenizer has no file to read: there {@link loadCl100kEncoder} (which
 * `TokenCounter#load` and `ConduitRouter#initialize` call) falls back to the bundled module, and a
 * synchronous first count before it finished is an estimate.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The part of gpt-tokenizer's encoding API the counter uses. */
export interface Cl100kEncoder {
  countTokens(text: string, options: { disallowedSpecial: Set<string> }): number;
}

/**
 * Words gpt-tokenizer keeps the merged tokens of (its default is 100,000, about 12 MB once full in
 * a long-running gateway). Whole texts are cached by `TokenCounter` already, so this cache only
 * serves words that recur across new texts: a few thousand cover them.
 */
const mergeCacheWords = 10_000;

interface GptEncodingModule {
  GptEncoding: {
    getEncodingApi(
      encodingName: 'cl100k_base',
      getMergeableRanks: () => Array<string | number[]>,
    ): Cl100kEncoder & { setMergeCacheSize(size: number): void };
  };
}

let encoder: Cl100kEncoder | undefined;
let synchronousLoadFailed = false;
let loading: Promise<Cl100kEncoder | undefined> | undefined;

/**
 * The encoder, loading it synchronously on the first call. `undefined` when gpt-tokenizer cannot be
 * resolved from this module (a bundle that inlined it) and {@link loadCl100kEncoder} has not
 * finished yet: the caller estimates.
 */
export function getCl100kEncoder(): Cl100kEncoder | undefined {
  if (encoder || synchronousLoadFailed) return encoder;
  try {
    encoder = loadFromTiktokenFile();
  } catch {
    synchronousLoadFailed = true;
    void loadCl100kEncoder();
  }
  return encoder;
}

/** Loads the encoder (once); resolves when counts are exact. Never rejects. */
export function loadCl100kEncoder(): Promise<Cl100kEncoder | undefined> {
  const ready = getCl100kEncoderIfLoadable();
  if (ready) return Promise.resolve(ready);
  loading ??= import('gpt-tokenizer/encoding/cl100k_base').then(
    module => {
      encoder = module as Cl100kEncoder;
      return encoder;
    },
    () => undefined,
  );
  return loading;
}

function getCl100kEncoderIfLoadable(): Cl100kEncoder | undefined {
  if (!encoder && !synchronousLoadFailed) return getCl100kEncoder();
  return encoder;
}

function loadFromTiktokenFile(): Cl100kEncoder {
  const requireFromHere = createRequire(import.meta.url);
  const table = readFileSync(requireFromHere.resolve('gpt-tokenizer/data/cl100k_base.tiktoken'));
  const { GptEncoding } = requireFromHere('gpt-tokenizer/GptEncoding') as GptEncodingModule;
  const ranks = parseTiktokenRanks(table);
  const api = GptEncoding.getEncodingApi('cl100k_base', () => ranks);
  api.setMergeCacheSize(mergeCacheWords);
  return api;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const base64Values = new Int8Array(128).fill(-1);
for (const [index, character] of [
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
].entries()) {
  base64Values[character.charCodeAt(0)] = index;
}
const space = 0x20;
const newline = 0x0a;

/**
 * A tiktoken rank file (`<base64 bytes> <rank>` per line) as gpt-tokenizer's rank array: index =
 * rank, value = the token's text, or its bytes when they are not valid UTF-8 on their own (exactly
 * as gpt-tokenizer's generator writes the bundled table; unused ranks stay empty strings). All
 * tokens are decoded into one buffer that becomes one string, and ASCII tokens are slices of it:
 * 100k separate `Buffer.from(…, 'base64')` or `toString` calls would take several times longer.
 */
export function parseTiktokenRanks(table: Uint8Array): Array<string | number[]> {
  // Every 4 base64 characters are 3 bytes, so the decoded bytes fit in the table's length.
  const bytes = Buffer.allocUnsafe(table.length);
  // One entry per line at most. Typed arrays, sized once: growing three 100k-element arrays by
  // `push` left their outgrown copies behind as garbage.
  let lines = 1;
  for (let position = 0; position < table.length; position++) {
    if (table[position] === newline) lines++;
  }
  const starts = new Int32Array(lines + 1);
  const rankOf = new Int32Array(lines);
  const nonASCII = new Uint8Array(lines);
  let tokens = 0;
  let maxRank = -1;
  let written = 0;
  let position = 0;
  while (position < table.length) {
    const start = written;
    let bits = 0;
    let bitCount = 0;
    let highBits = 0;
    let byte = table[position] as number;
    // Base64 up to the space; padding '=' and anything else outside the alphabet is skipped.
    while (byte !== space && byte !== newline && position < table.length) {
      const value = byte < 128 ? (base64Values[byte] as number) : -1;
      if (value >= 0) {
        bits = ((bits << 6) | value) & 0xffffff;
        bitCount += 6;
        if (bitCount >= 8) {
          bitCount -= 8;
          const decoded = (bits >> bitCount) & 0xff;
          highBits |= decoded;
          bytes[written++] = decoded;
        }
      }
      byte = table[++position] as number;
    }
    let rank = -1;
    if (byte === space) {
      rank = 0;
      byte = table[++position] as number;
      while (byte >= 0x30 && byte <= 0x39) {
        rank = rank * 10 + (byte - 0x30);
        byte = table[++position] as number;
      }
    }
    while (position < table.length && table[position] !== newline) position++;
    position++;
    if (rank < 0 || written === start) {
      written = start;
      continue;
    }
    starts[tokens] = start;
    rankOf[tokens] = rank;
    nonASCII[tokens] = highBits >= 0x80 ? 1 : 0;
    tokens++;
    if (rank > maxRank) maxRank = rank;
  }
  starts[tokens] = written;
  const text = bytes.toString('latin1', 0, written);
  // Unused ranks stay empty strings, as gpt-tokenizer's generator writes them.
  const ranks: Array<string | number[]> = new Array<string | number[]>(maxRank + 1).fill('');
  for (let index = 0; index < tokens; index++) {
    const start = starts[index] as number;
    const end = starts[index + 1] as number;
    ranks[rankOf[index] as number] =
      nonASCII[index] === 1 ? decodeToken(bytes.subarray(start, end)) : text.slice(start, end);
  }
  return ranks;
}

function decodeToken(bytes: Buffer): string | number[] {
  try {
    const text = utf8.decode(bytes);
    // Only a round trip proves the bytes are the text (gpt-tokenizer's generator checks the same).
    if (Buffer.byteLength(text) === bytes.length) return text;
  } catch {
    // Not valid UTF-8 on its own: kept as bytes.
  }
  return [...bytes];
}
