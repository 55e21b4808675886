/**
 * Gemini's `thoughtSignature` round-trip. Gemini puts an opaque signature on some parts (a thought,
 * the first function call of a step, the last text part) and requires it back on the same part in
 * the next turn (Gemini 3 rejects function-call history without it). Anthropic clients echo
 * assistant content back verbatim, so the signature rides in a block they already keep:
 * - on a thought part: the `thinking` block's `signature`;
 * - on a text or function-call part: a `redacted_thinking` block placed right after the block
 *   made from that part (its `data` is opaque to clients, as Anthropic's own is).
 * Both carry a prefix so Conduit can tell them from genuine Anthropic signatures.
 * @see https://ai.google.dev/gemini-api/docs/thought-signatures
 * @module
 */

const prefix = 'gemini-thought-signature:v1:';

/** A Gemini signature → the value stored in an Anthropic block. */
export function encodeThoughtSignature(signature: string): string {
  return `${prefix}${signature}`;
}

/** The Gemini signature inside a block value, or `undefined` for any other value. */
export function decodeThoughtSignature(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith(prefix)) return undefined;
  const signature = value.slice(prefix.length);
  return signature.length > 0 ? signature : undefined;
}

/**
 * The value Google documents for function calls that have no signature (history written by
 * another model): it tells Gemini 3 to skip the check instead of failing with a 400.
 */
export const skipThoughtSignatureValidator = 'skip_thought_signature_validator';

/** Gemini 3 and later validate signatures on function-call history. */
export function requiresFunctionCallSignatures(model: string): boolean {
  const match = /gemini-(\d+)/.exec(model);
  return match !== null && Number(match[1]) >= 3;
}
