import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError, type Logger, resolveConduitHome } from '@conduit/core';
import { PostgresUsageStore } from './postgres-usage-store.js';
import { type SQLiteDriverLoader, SQLiteUsageStore } from './sqlite-usage-store.js';
import type { UsageStore } from './usage-store.js';

export interface CreateUsageStoreOptions {
  /** Conduit's home directory (default: `$CONDUIT_HOME`, else `~/.conduit`). */
  home?: string;
  logger?: Logger;
  /** Replaces the better-sqlite3 loader (tests). */
  loadSQLiteDriver?: SQLiteDriverLoader;
}

/**
 * Picks the ledger backend for a `usage.storage` setting:
 * - empty/absent → SQLite at `<home>/usage.db`;
 * - `postgres://…` or `postgresql://…` → PostgreSQL (add `?schema=name` to use a schema);
 * - `sqlite:<path>` or a plain path → SQLite at that path (relative paths resolve against home;
 *   `sqlite::memory:` is an in-memory database).
 *
 * Nothing is opened here: the store connects and migrates on first use, so a missing native
 * SQLite module or an unreachable database shows up as unhealthy usage tracking, not a crash.
 *
 * @example
 * const store = createUsageStore(config.usage.storage, { logger });
 */
export function createUsageStore(
  storageSetting: string | undefined,
  options: CreateUsageStoreOptions = {},
): UsageStore {
  const setting = storageSetting?.trim() ?? '';
  if (/^postgres(?:ql)?:\/\//i.test(setting)) {
    return new PostgresUsageStore({ connectionString: setting, logger: options.logger });
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(setting)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'sqlite') {
    throw new ConfigError({
      issues: [
        {
          path: 'usage.storage',
          message: `uses an unsupported scheme "${scheme}://".`,
          hint: 'Use a postgres:// URL, sqlite:<path>, or a file path.',
        },
      ],
    });
  }
  const home = options.home ?? resolveConduitHome();
  let pathSetting = setting.replace(/^sqlite:(?:\/\/)?/i, '');
  if (pathSetting === '~' || pathSetting.startsWith('~/')) {
    pathSetting = join(homedir(), pathSetting.slice(1));
  }
  const path =
    pathSetting === ''
      ? join(home, 'usage.db')
      : pathSetting === ':memory:' || isAbsolute(pathSetting)
        ? pathSetting
        : resolve(home, pathSetting);
  return new SQLiteUsageStore({ path, loadDriver: options.loadSQLiteDriver });
}
