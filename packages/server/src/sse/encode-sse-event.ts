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

/**
 * `encodeSSEEvent` of a `text_delta` event, from the text already written as a JSON string
 * (`JSON.stringify(text)`): the per-chunk event of a streamed answer, without an event object.
 */
export function encodeTextDeltaEvent(index: number, textJSON: string): string {
  return `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"text_delta","text":${textJSON}}}\n\n`;
}

/** `encodeSSEEvent` of an `input_json_delta` event, the fragment already written as a JSON string. */
export function encodeInputJSONDeltaEvent(index: number, partialJSON: string): string {
  return `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"input_json_delta","partial_json":${partialJSON}}}\n\n`;
}

/** The `event: error` frame that ends a stream that failed after its first byte. */
export function encodeSSEError(type: AnthropicErrorType, message: string): string {
  return encodeSSEEvent({ type: 'error', error: { type, message } });
}
