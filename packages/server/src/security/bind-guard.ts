import { isIPv4, isIPv6 } from 'node:net';
import { InsecureBindError } from '../errors/insecure-bind-error.js';

/**
 * True for addresses only this machine can reach: `localhost`, 127.0.0.0/8, `::1` and the
 * IPv4-mapped `::ffff:127.x.y.z`. Wildcards (`0.0.0.0`, `::`) and every other address are public.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIPv4(bare)) return bare.startsWith('127.');
  if (isIPv6(bare)) {
    if (bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
    return mapped !== null && mapped[1]!.startsWith('127.');
  }
  return false;
}

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
