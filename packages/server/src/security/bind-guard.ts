import { isLoopbackHost } from '@conduit/core';
import { InsecureBindError } from '../errors/insecure-bind-error.js';

export { isLoopbackHost };

/** @throws InsecureBindError when `host` is not loopback and no API key is configured. */
export function assertSafeBind(host: string, apiKey: string | undefined): void {
  if (apiKey || isLoopbackHost(host)) return;
  throw new InsecureBindError({ host });
}

/**
 * Providers whose `api_base_url` is plain `http://` to a host other than loopback: their key (and
 * every prompt) crosses the network unencrypted. Warned about at start, not refused (a LAN model
 * server may be deliberate).
 */
export function findPlainHTTPProviders(
  providers: ReadonlyArray<{ name: string; api_base_url: string }>,
): Array<{ name: string; origin: string }> {
  const found: Array<{ name: string; origin: string }> = [];
  for (const provider of providers) {
    let url: URL;
    try {
      url = new URL(provider.api_base_url);
    } catch {
      continue;
    }
    if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      found.push({ name: provider.name, origin: url.origin });
    }
  }
  return found;
}
