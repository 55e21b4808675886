import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { SQLiteUsageStore } from './sqlite-usage-store.js';
import { makeUsageRecord, runUsageStoreContract } from './usage-store.contract.js';
import { UsageStorageError } from './usage-store.js';

const directory = mkdtempSync(join(tmpdir(), 'conduit-usage-sqlite-'));
let ledgers = 0;

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

runUsageStoreContract('SQLite', async () => {
  const path = join(directory, `ledger-${++ledgers}`, 'usage.db');
  return { open: () => new SQLiteUsageStore({ path }) };
});

describe('SQLiteUsageStore', () => {
  it('keeps the ledger private to the user (0700 folder, 0600 file)', async () => {
    const path = join(directory, 'private', 'usage.db');
    const store = new SQLiteUsageStore({ path });
    await store.init();
    await store.close();
    expect(statSync(join(directory, 'private')).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('uses WAL mode and records the schema version once', async () => {
    const path = join(directory, 'wal', 'usage.db');
    const store = new SQLiteUsageStore({ path });
    await store.init();
    await store.close();
    const reopened = new SQLiteUsageStore({ path });
    await reopened.init();
    await reopened.close();
    const Database = (await import('better-sqlite3')).default;
    const database = new Database(path, { readonly: true });
    try {
      expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(database.prepare('SELECT version FROM usage_schema_migrations').all()).toEqual([
        { version: 1 },
        { version: 2 },
        { version: 3 },
        { version: 4 },
      ]);
    } finally {
      database.close();
    }
  });

  it('reports a missing native module as a storage error, and retries on the next call', async () => {
    let attempts = 0;
    const store = new SQLiteUsageStore({
      path: join(directory, 'missing-driver', 'usage.db'),
      loadDriver: async () => {
        attempts++;
        throw new Error('Could not locate the bindings file');
      },
    });
    const failure = await store.init().catch((error: unknown) => error);
    expect(UsageStorageError.isInstance(failure)).toBe(true);
    expect((failure as Error).message).toMatch(/better-sqlite3 could not be loaded.*bindings/);
    await expect(store.insertBatch([makeUsageRecord()])).rejects.toThrow(/better-sqlite3/);
    expect(attempts).toBe(2);
    await store.close();
  });

  it('refuses a database written by a newer Conduit', async () => {
    const path = join(directory, 'newer', 'usage.db');
    const store = new SQLiteUsageStore({ path });
    await store.init();
    await store.close();
    const Database = (await import('better-sqlite3')).default;
    const database = new Database(path);
    database
      .prepare('INSERT INTO usage_schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
      .run(99, 'from the future', Date.now());
    database.close();
    const newer = new SQLiteUsageStore({ path });
    await expect(newer.init()).rejects.toThrow(/schema version 99 is newer/);
    await newer.close();
  });

  it('rejects an empty path', () => {
    expect(() => new SQLiteUsageStore({ path: ' ' })).toThrow(/needs a file path/);
  });
});
