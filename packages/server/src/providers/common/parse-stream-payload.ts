/**
 * One upstream SSE `data:` payload as the stream translations read it: a JSON object, or why it is
 * not one (each translation ends the stream with its own `error` event for either).
 */
export function parseStreamPayload(
  data: string,
): Record<string, unknown> | 'malformed' | 'not-an-object' {
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch {
    return 'malformed';
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    return 'not-an-object';
  }
  return payload as Record<string, unknown>;
}

export const malformedChunkMessage = 'The upstream sent a malformed stream chunk.';
export const unknownChunkShapeMessage = 'The upstream sent a stream chunk of unknown shape.';
