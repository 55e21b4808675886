import type { AnthropicErrorType } from '@conduit/core';

/** One Anthropic SSE event, framed as the Messages API sends it: `event: <type>\ndata: <json>\n\n`. */
export function encodeSSEEvent(event: { type: string; [key: string]: unknown }): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** The `event: error` frame that ends a stream that failed after its first byte. */
export function encodeSSEError(type: AnthropicErrorType, message: string): string {
  return encodeSSEEvent({ type: 'error', error: { type, message } });
}
