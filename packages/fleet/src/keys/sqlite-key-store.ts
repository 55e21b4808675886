import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import {
  fromKeyRow,
  type KeyRow,
  type KeyStore,
  keyInsertSQL,
  keyInsertValues,
  keyTableDDL,
  type NewVirtualKey,
  toNewKey,
} from './key-store.js';
import type { VirtualKey } from './virtual-key.js';

const migrations = [keyTableDDL('fleet_virtual_keys', 'INTEGER')];

/** Virtual keys in a SQLite file (by default the ledger's `usage.db`), WAL mode, 0600. */
export class SQLiteKeyStore implements KeyStore {
  readonly kind = 'sqlite' as const;
  readonly location: string;
  private database: BetterSqlite3.Database | undefined;

  constructor(private readonly path: string) {
    this.location = path;
  }

  async init(): Promise<void> {
    await this.open();
  }

  async create(key: NewVirtualKey): Promise<VirtualKey> {
    const database = await this.open();
    const created = toNewKey(key, new Date());
    const values = keyInsertValues(created);
    database
      .prepare(keyInsertSQL('fleet_virtual_keys', () => '?'))
      .run(...values.slice(0, 8), created.createdAt.getTime());
    return created;
  }

  async get(id: string): Promise<VirtualKey | undefined> {
    const database = await this.open();
    const row = database.prepare('SELECT * FROM fleet_virtual_keys WHERE id = ?').get(id) as
      | KeyRow
      | undefined;
    return row ? fromKeyRow(row) : undefined;
  }

  async list(): Promise<VirtualKey[]> {
    const database = await this.open();
    const rows = database
      .prepare('SELECT * FROM fleet_virtual_keys ORDER BY created_at, id')
      .all() as KeyRow[];
    return rows.map(fromKeyRow);
  }

  async revoke(id: string, at = new Date()): Promise<boolean> {
    const database = await this.open();
    const result = database
      .prepare('UPDATE fleet_virtual_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?')
      .run(at.getTime(), id);
    return result.changes > 0;
  }

  async rotate(id: string, secretHash: string, hint: string, at = new Date()): Promise<boolean> {
    const database = await this.open();
    const result = database
      .prepare(
        'UPDATE fleet_virtual_keys SET secret_hash = ?, hint = ?, rotated_at = ? WHERE id = ? AND revoked_at IS NULL',
      )
      .run(secretHash, hint, at.getTime(), id);
    return result.changes > 0;
  }

  async ping(): Promise<void> {
    (await this.open()).prepare('SELECT 1 FROM fleet_virtual_keys LIMIT 1').get();
  }

  async close(): Promise<void> {
    const database = this.database;
    this.database = undefined;
    if (database?.open) database.close();
  }

  private async open(): Promise<BetterSqlite3.Database> {
    if (this.database) return this.database;
    // CommonJS: Node's ESM loader and the bundlers' interop all put module.exports on `default`.
    const { default: Database } = await import('better-sqlite3');
    if (this.database) return this.database;
    if (this.path !== ':memory:') mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const database = new Database(this.path);
    database.pragma('journal_mode = WAL');
    // Key hashes are not secrets, but who holds which key is nobody else's business.
    if (this.path !== ':memory:') {
      for (const file of [this.path, `${this.path}-wal`, `${this.path}-shm`]) {
        if (existsSync(file)) chmodSync(file, 0o600);
      }
    }
    database.pragma('busy_timeout = 5000');
    for (const statement of migrations) database.exec(statement);
    this.database = database;
    return database;
  }
}
