import { randomBytes } from 'node:crypto';

/**
 * The signature Conduit puts on `thinking` blocks it synthesises from another provider's reasoning.
 * Anthropic clients require a non-empty signature (CCR #866); this one is recognisable so a thinking
 * block can be told apart from a genuine Anthropic one.
 */
export const conduitThinkingSignature = 'conduit-reasoning-v1';

function randomSuffix(): string {
  return randomBytes(12).toString('base64url');
}

/** `msg_…` from an upstream id when there is one (kept for correlation), random otherwise. */
export function createMessageId(upstreamId?: string | null): string {
  const cleaned = upstreamId ? sanitizeIdentifier(upstreamId) : '';
  return `msg_${cleaned || randomSuffix()}`;
}

/**
 * Tool-use ids must match `^[a-zA-Z0-9_-]+$` for Anthropic clients and upstreams; vendors such as
 * Kimi send `functions.Bash:0`. The mapping is deterministic, so the id that comes back in a
 * `tool_result` is the same one the next upstream request sees in the assistant turn.
 */
export function createToolUseId(upstreamId?: string | null): string {
  const cleaned = upstreamId ? sanitizeIdentifier(upstreamId) : '';
  return cleaned || `toolu_${randomSuffix()}`;
}

function sanitizeIdentifier(value: string): string {
  return value.replace(/[^a-zA-Z0-9_-]/g, '_');
}
