import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * What reading better-sqlite3's native binary says about loading it in this process:
 * - `matches`: the file registers this Node's module version (`node_register_module_v<ABI>`), the
 *   symbol Node looks up when it loads an addon, so it was built for this Node;
 * - `mismatch`: it does not (built for another Node: loading it would fail);
 * - `unknown`: the binary is not where better-sqlite3 keeps it (a custom build or bundling).
 */
export type NativeBinaryStatus = 'matches' | 'mismatch' | 'unknown';

const chunkBytes = 64 * 1024;

/**
 * Checks better-sqlite3's native binary without loading it. Loading it costs an idle gateway about
 * 7 MB of memory and 12 ms of start-up, and an unused ledger's health check only needs to know it
 * would load: the ledger loads it for real with the first record. Read in chunks, so the 2 MB
 * file never sits in memory whole.
 */
export function inspectSQLiteNativeBinary(
  path: string | undefined = defaultBinaryPath(),
  moduleVersion: string = process.versions.modules,
): NativeBinaryStatus {
  if (path === undefined) return 'unknown';
  const symbol = Buffer.from(`node_register_module_v${moduleVersion}\0`, 'latin1');
  let descriptor: number;
  try {
    descriptor = openSync(path, 'r');
  } catch {
    return 'unknown';
  }
  try {
    // Each read keeps the previous chunk's last bytes, so a symbol split across two reads is found.
    const overlap = symbol.length - 1;
    const buffer = Buffer.allocUnsafe(chunkBytes + overlap);
    let kept = 0;
    for (;;) {
      const read = readSync(descriptor, buffer, kept, chunkBytes, null);
      if (read === 0) return 'mismatch';
      const filled = kept + read;
      if (buffer.subarray(0, filled).includes(symbol)) return 'matches';
      kept = Math.min(overlap, filled);
      buffer.copy(buffer, 0, filled - kept, filled);
    }
  } catch {
    return 'unknown';
  } finally {
    closeSync(descriptor);
  }
}

/** Where better-sqlite3 builds its addon (`build/Release`), resolved as `import('better-sqlite3')` is. */
function defaultBinaryPath(): string | undefined {
  try {
    const packageJSON = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
    return join(dirname(packageJSON), 'build', 'Release', 'better_sqlite3.node');
  } catch {
    return undefined;
  }
}
