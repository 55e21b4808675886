import { createParser } from 'eventsource-parser';

/** One parsed SSE event. */
export interface SSEEvent {
  event: string | undefined;
  data: string;
}

/** `{event, data}` → an SSE frame; object data is JSON-encoded. */
export function formatSSEFrame(data: unknown, event?: string): string {
  const payload = typeof data === 'string' ? data : JSON.stringify(data);
  return `${event === undefined ? '' : `event: ${event}\n`}data: ${payload}\n\n`;
}

/** Anthropic-style frames: the event name is the payload's `type`. */
export function formatAnthropicSSE(events: ReadonlyArray<{ type: string }>): string[] {
  return events.map(event => formatSSEFrame(event, event.type));
}

/** OpenAI-style frames (`data:` only), ending with `data: [DONE]` unless `done` is false. */
export function formatOpenAISSE(chunks: readonly unknown[], done = true): string[] {
  const frames = chunks.map(chunk => formatSSEFrame(chunk));
  if (done) frames.push('data: [DONE]\n\n');
  return frames;
}

/** Splits SSE text into frames (each kept with its trailing blank line). */
export function splitSSEFrames(text: string): string[] {
  return text
    .replace(/\r\n/g, '\n')
    .split(/\n\n/)
    .filter(frame => frame.trim() !== '')
    .map(frame => `${frame}\n\n`);
}

/** Parses SSE text into events. */
export function parseSSE(text: string): SSEEvent[] {
  const events: SSEEvent[] = [];
  const parser = createParser({
    onEvent: event => events.push({ event: event.event, data: event.data }),
  });
  parser.feed(text);
  return events;
}

/** Parses SSE text whose data payloads are JSON. */
export function parseSSEJSON(
  text: string,
): Array<{ event: string | undefined; data: Record<string, unknown> }> {
  return parseSSE(text).map(event => ({
    event: event.event,
    data: JSON.parse(event.data) as Record<string, unknown>,
  }));
}
