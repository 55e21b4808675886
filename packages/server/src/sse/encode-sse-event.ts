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
  const head =
    textDeltaHeads[index] ??
    cacheHead(
      textDeltaHeads,
      index,
      `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"text_delta","text":`,
    );
  return `${head}${textJSON}}}\n\n`;
}

/** `encodeSSEEvent` of an `input_json_delta` event, the fragment already written as a JSON string. */
export function encodeInputJSONDeltaEvent(index: number, partialJSON: string): string {
  const head =
    inputJSONDeltaHeads[index] ??
    cacheHead(
      inputJSONDeltaHeads,
      index,
      `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"input_json_delta","partial_json":`,
    );
  return `${head}${partialJSON}}}\n\n`;
}

/**
 * The text around the JSON string of a delta event: the event is `head`, the string, `tail`.
 * A run of shaped chunks is translated with it as a whole (see `openai-shaped-frames.ts`).
 */
export interface DeltaFraming {
  readonly head: string;
  readonly tail: string;
  /** `tail` then `head`: between the strings of two events in a row. */
  readonly between: string;
}

const deltaTail = '}}\n\n';
const textDeltaFramings: DeltaFraming[] = [];
const inputJSONDeltaFramings: DeltaFraming[] = [];

/** The framing of `encodeTextDeltaEvent(index, …)`. */
export function textDeltaFraming(index: number): DeltaFraming {
  const framing = textDeltaFramings[index];
  if (framing) return framing;
  const head = encodeTextDeltaEvent(index, '').slice(0, -deltaTail.length);
  return cacheFraming(textDeltaFramings, index, head);
}

/** The framing of `encodeInputJSONDeltaEvent(index, …)`. */
export function inputJSONDeltaFraming(index: number): DeltaFraming {
  const framing = inputJSONDeltaFramings[index];
  if (framing) return framing;
  const head = encodeInputJSONDeltaEvent(index, '').slice(0, -deltaTail.length);
  return cacheFraming(inputJSONDeltaFramings, index, head);
}

function cacheFraming(framings: DeltaFraming[], index: number, head: string): DeltaFraming {
  const flatHead = Buffer.from(head, 'latin1').toString('latin1');
  const between = Buffer.from(deltaTail + flatHead, 'latin1').toString('latin1');
  const framing = { head: flatHead, tail: deltaTail, between };
  if (Number.isInteger(index) && index >= 0 && index <= maxCachedIndex) framings[index] = framing;
  return framing;
}

/**
 * The text before the JSON string of a delta event, per block index: written once, not per chunk
 * (the number written as text, and the pieces joined, each time).
 */
const textDeltaHeads: string[] = [];
const inputJSONDeltaHeads: string[] = [];
/** Blocks past this index (rare) write their head each time. */
const maxCachedIndex = 63;

function cacheHead(heads: string[], index: number, head: string): string {
  if (Number.isInteger(index) && index >= 0 && index <= maxCachedIndex) {
    // (A flat copy: the template's pieces joined would be walked again at every use.)
    heads[index] = Buffer.from(head, 'latin1').toString('latin1');
  }
  return head;
}

/** The `event: error` frame that ends a stream that failed after its first byte. */
export function encodeSSEError(type: AnthropicErrorType, message: string): string {
  return encodeSSEEvent({ type: 'error', error: { type, message } });
}
