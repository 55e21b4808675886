import type { MessageStreamEvent } from '@conduit/core';

/** An Anthropic SSE `data:` payload, parsed; undefined for anything that is not an event object. */
export function parseAnthropicStreamEvent(data: string): MessageStreamEvent | undefined {
  try {
    const value: unknown = JSON.parse(data);
    if (
      value !== null &&
      typeof value === 'object' &&
      typeof (value as { type?: unknown }).type === 'string'
    ) {
      return value as MessageStreamEvent;
    }
  } catch {
    // not JSON: skipped like any other unknown frame
  }
  return undefined;
}

/** The message a stream ended without `message_stop` (the upstream cut it). */
export const incompleteStreamMessage =
  'The upstream stream ended before the response was complete.';
