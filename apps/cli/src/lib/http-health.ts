/**
 * Talks to a running Conduit over HTTP: `GET /health`, and waiting until it answers.
 * @module
 */

/** The address clients use for a listening host: wildcard addresses are reached over loopback. */
export function clientHost(host: string): string {
  if (host === '0.0.0.0' || host === '' || host === 'localhost') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** `http://<client host>:<port>` for a server listening on `host:port`. */
export function baseURLFor(host: string, port: number): string {
  return `http://${clientHost(host)}:${port}`;
}

/** The answer of `GET /health`, or why there was none. */
export type HealthResult =
  | { reachable: true; status: number; body: unknown }
  | { reachable: false; error: string };

/**
 * Fetches `<baseURL>/health` with a timeout; never throws. With `apiKey`, a gateway that has
 * `APIKEY` answers the detailed report (else only `{"status":"ok"}`).
 */
export async function fetchHealth(
  baseURL: string,
  timeoutMs = 2000,
  apiKey?: string,
): Promise<HealthResult> {
  try {
    const response = await fetch(`${baseURL}/health`, {
      signal: AbortSignal.timeout(timeoutMs),
      ...(apiKey ? { headers: { 'x-api-key': apiKey } } : {}),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { reachable: true, status: response.status, body };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { reachable: false, error: cause?.code ?? (error as Error).message };
  }
}

/** Polls `/health` until it answers 2xx or `timeoutMs` passes. Returns whether it came up. */
export async function waitForHealth(baseURL: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const result = await fetchHealth(baseURL, Math.min(2000, Math.max(100, deadline - Date.now())));
    if (result.reachable && result.status < 300) return true;
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return false;
}
