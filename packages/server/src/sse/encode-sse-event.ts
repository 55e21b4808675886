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
  const { head, tail } = textDeltaFraming(index);
  return `${head}${textJSON}${tail}`;
}

/** `encodeSSEEvent` of an `input_json_delta` event, the fragment already written as a JSON string. */
export function encodeInputJSONDeltaEvent(index: number, partialJSON: string): string {
  const { head, tail } = inputJSONDeltaFraming(index);
  return `${head}${partialJSON}${tail}`;
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

/** The framing of {@link encodeTextDeltaEvent}`(index, …)`. */
export function textDeltaFraming(index: number): DeltaFraming {
  return (
    textDeltaFramings[index] ??
    createFraming(
      textDeltaFramings,
      index,
      `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"text_delta","text":`,
    )
  );
}

/** The framing of {@link encodeInputJSONDeltaEvent}`(index, …)`. */
export function inputJSONDeltaFraming(index: number): DeltaFraming {
  return (
    inputJSONDeltaFramings[index] ??
    createFraming(
      inputJSONDeltaFramings,
      index,
      `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{"type":"input_json_delta","partial_json":`,
    )
  );
}

const deltaTail = '}}\n\n';
/**
 * The framings per block index, written once, not per chunk (the number written as text, and the
 * pieces joined, each time). Blocks past {@link maxCachedIndex} (rare) get theirs each time.
 */
const textDeltaFramings: DeltaFraming[] = [];
const inputJSONDeltaFramings: DeltaFraming[] = [];
const maxCachedIndex = 63;

function createFraming(framings: DeltaFraming[], index: number, head: string): DeltaFraming {
  if (!(Number.isInteger(index) && index >= 0 && index <= maxCachedIndex)) {
    return { head, tail: deltaTail, between: deltaTail + head };
  }
  // Flat copies: a template's pieces joined would be walked again at every use.
  const flat = (text: string) => Buffer.from(text, 'latin1').toString('latin1');
  const framing = { head: flat(head), tail: deltaTail, between: flat(deltaTail + head) };
  framings[index] = framing;
  return framing;
}

/** The `event: error` frame that ends a stream that failed after its first byte. */
export function encodeSSEError(type: AnthropicErrorType, message: string): string {
  return encodeSSEEvent({ type: 'error', error: { type, message } });
}
