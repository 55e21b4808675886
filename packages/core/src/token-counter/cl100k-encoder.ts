/**
 * The `cl100k_base` encoder, loaded on first use rather than when the package is imported.
 *
 * gpt-tokenizer ships the rank table twice: as a 1.1 MB JavaScript array literal
 * (`gpt-tokenizer/encoding/cl100k_base`) and as the original tiktoken file
 * (`gpt-tokenizer/data/cl100k_base.tiktoken`). Importing the literal keeps its source text, its
 * bytecode and V8's boilerplate copy of the array alive next to the table itself: about 40 MB of
 * resident memory. Even built from the tiktoken file, gpt-tokenizer's own structures (100k strings
 * in a `Map`) take about 10 MB of heap and grow V8's young generation to its maximum. So the
 * counter reads the tiktoken file into typed arrays (`compact-rank-table.ts`) and counts with its
 * own implementation of gpt-tokenizer's algorithm (`compact-cl100k-encoder.ts`): about 2.5 MB,
 * outside the heap, loaded by the first count.
 *
 * The file is resolved from this module's location, which works from the ESM and CJS builds and
 * from a bundle that keeps gpt-tokenizer external (the CLI). A bundle that inlined gpt-tokenizer
 * has no file to read: there {@link loadCl100kEncoder} (which `TokenCounter#load` and
 * `ConduitRouter#initialize` call) falls back to gpt-tokenizer's bundled module, and a synchronous
 * first count before it finished is an estimate.
 * @module
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createCompactCl100kEncoder } from './compact-cl100k-encoder.js';
import { parseCompactRankTable } from './compact-rank-table.js';

/** The part of gpt-tokenizer's encoding API the counter uses. */
export interface Cl100kEncoder {
  countTokens(text: string, options: { disallowedSpecial: Set<string> }): number;
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
  return createCompactCl100kEncoder(parseCompactRankTable(table));
}
