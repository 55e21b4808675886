/**
 * Gemini's rate-limit answers carry the wait in the body (`google.rpc.RetryInfo`), not in a
 * `retry-after` header: `{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[{"@type":
 * "type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37s"}]}}`. Returns milliseconds.
 * @see https://ai.google.dev/gemini-api/docs/troubleshooting
 */
export function readGeminiRetryDelay(bodyText: string): number | undefined {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  const details = (body as { error?: { details?: unknown } } | null)?.error?.details;
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    const delay = (detail as { retryDelay?: unknown } | null)?.retryDelay;
    if (typeof delay !== 'string') continue;
    const match = /^(\d+(?:\.\d+)?)s$/.exec(delay.trim());
    if (match) return Math.round(Number(match[1]) * 1000);
  }
  return undefined;
}
