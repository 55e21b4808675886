import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { resolveConduitHome } from '@conduit/core';
import type { KeyStore } from './key-store.js';
import { PostgresKeyStore } from './postgres-key-store.js';
import { SQLiteKeyStore } from './sqlite-key-store.js';

/**
 * The key store for a storage setting, read as `usage.storage` is: a `postgres://` URL, or a
 * SQLite path (default `<home>/usage.db`, beside the ledger).
 */
export function createKeyStore(setting: string | undefined, home = resolveConduitHome()): KeyStore {
  const value = setting?.trim() ?? '';
  if (/^postgres(?:ql)?:\/\//i.test(value)) return new PostgresKeyStore(value);
  let path = value.replace(/^sqlite:(?:\/\/)?/i, '');
  if (path === '~' || path.startsWith('~/')) path = join(homedir(), path.slice(1));
  if (path === '') return new SQLiteKeyStore(join(home, 'usage.db'));
  return new SQLiteKeyStore(path === ':memory:' || isAbsolute(path) ? path : resolve(home, path));
}
