/** One Responses stream event (`type` doubles as the SSE event name). */
export interface ResponsesStreamEventOut {
  type: string;
  sequence_number: number;
  [key: string]: unknown;
}

/** Responses streams name each event: `event: <type>` then its JSON. */
export function encodeResponsesStreamEvent(event: ResponsesStreamEventOut): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
