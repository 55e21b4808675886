/**
 * The inverse of `responses-reasoning-signature.ts`, for the Responses door: an Anthropic thinking
 * block (its exact text and signature, or a redacted block's data) rides in the reasoning item's
 * `encrypted_content`, which Codex and other stateless Responses clients send back on the next
 * turn. Anthropic verifies signatures against the exact thinking text, and with thinking on it
 * wants the thinking block back before a tool_use turn, so both must survive the round trip.
 * @module
 */
import type { ContentBlock } from '@conduit/core';

const prefix = 'conduit-thinking:v1:';

type EncodedThinking = { thinking: string; signature: string } | { redacted: string };

/** A thinking or redacted_thinking block → `encrypted_content`. */
export function encodeThinkingContent(block: EncodedThinking): string {
  return `${prefix}${Buffer.from(JSON.stringify(block)).toString('base64url')}`;
}

/** `encrypted_content` made by Conduit → the block it came from; undefined for anything else. */
export function decodeThinkingContent(value: unknown): ContentBlock | undefined {
  if (typeof value !== 'string' || !value.startsWith(prefix)) return undefined;
  try {
    const decoded = JSON.parse(
      Buffer.from(value.slice(prefix.length), 'base64url').toString('utf8'),
    ) as Partial<{ thinking: unknown; signature: unknown; redacted: unknown }> | null;
    if (typeof decoded?.redacted === 'string') {
      return { type: 'redacted_thinking', data: decoded.redacted };
    }
    if (typeof decoded?.thinking === 'string' && typeof decoded.signature === 'string') {
      return { type: 'thinking', thinking: decoded.thinking, signature: decoded.signature };
    }
  } catch {
    // not ours after all: the item is dropped like any other foreign reasoning item
  }
  return undefined;
}
