/** The hostname of a `Host` header value (`name:port`, `[v6]:port`); null when malformed. */
export function hostnameOf(hostHeader: string): string | null {
  try {
    return new URL(`http://${hostHeader}`).hostname;
  } catch {
    return null;
  }
}
