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
  // node:net is loaded on the first check, not on import (the router never checks hosts).
  const { isIPv4, isIPv6 } = process.getBuiltinModule('node:net');
  if (isIPv4(bare)) return bare.startsWith('127.');
  if (isIPv6(bare)) {
    if (bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
    return mapped !== null && mapped[1]!.startsWith('127.');
  }
  return false;
}
