import type { AnthropicErrorType } from '@conduit/core';

/** One Anthropic SSE event, framed as the Messages API sends it: `event: <type>\ndata: <json>\n\n`. */
export function encodeSSEEvent(event: { type: string; [key: string]: unknown }): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Several events framed back to back, as one string (one write to the client). */
export function encodeSSEEvents(
  events: readonly { type: string; [key: string]: unknown }[],
): string {
  let text = '';
  for (const event of events) text += `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
  return text;
}

/** The `event: error` frame that ends a stream that failed after its first byte. */
export function encodeSSEError(type: AnthropicErrorType, message: string): string {
  return encodeSSEEvent({ type: 'error', error: { type, message } });
}
