/**
 * Reasoning round-trip for the Responses API. With `store: false` the model's reasoning only
 * survives between turns as the reasoning item's `encrypted_content`, which must be sent back as
 * an input item. Conduit keeps `{id, encrypted_content}` in the `thinking` block's `signature`
 * (clients echo signatures verbatim), prefixed so it is never mistaken for an Anthropic one.
 * @see https://platform.openai.com/docs/guides/reasoning#keeping-reasoning-items-in-context
 * @module
 */

const prefix = 'openai-reasoning:v1:';

export interface ReasoningItemReference {
  id: string;
  encrypted_content?: string;
}

export function encodeReasoningSignature(reference: ReasoningItemReference): string {
  return `${prefix}${Buffer.from(JSON.stringify(reference)).toString('base64url')}`;
}

/** The reasoning item inside a signature, or `undefined` for any other signature. */
export function decodeReasoningSignature(value: unknown): ReasoningItemReference | undefined {
  if (typeof value !== 'string' || !value.startsWith(prefix)) return undefined;
  try {
    const parsed = JSON.parse(
      Buffer.from(value.slice(prefix.length), 'base64url').toString('utf8'),
    ) as unknown;
    const reference = parsed as Partial<ReasoningItemReference> | null;
    if (typeof reference?.id !== 'string') return undefined;
    return {
      id: reference.id,
      ...(typeof reference.encrypted_content === 'string'
        ? { encrypted_content: reference.encrypted_content }
        : {}),
    };
  } catch {
    return undefined;
  }
}
