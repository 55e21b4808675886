import type pg from 'pg';
import { requireDependency } from '../cluster/require-dependency.js';
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

/** Virtual keys in PostgreSQL, shared by every instance (`?schema=` picks a schema). */
export class PostgresKeyStore implements KeyStore {
  readonly kind = 'postgres' as const;
  readonly location: string;
  private readonly pool: pg.Pool;
  private readonly table: string;
  private readonly schema: string;
  private ready: Promise<void> | undefined;

  constructor(connectionURL: string) {
    const url = new URL(connectionURL);
    this.schema = url.searchParams.get('schema') ?? 'public';
    url.searchParams.delete('schema');
    const redacted = new URL(url.toString());
    if (redacted.password) redacted.password = '***';
    this.location = redacted.toString();
    const { Pool } = requireDependency('pg') as typeof pg;
    this.pool = new Pool({ connectionString: url.toString(), max: 4, allowExitOnIdle: true });
    this.pool.on('error', () => undefined);
    this.table = `"${this.schema.replaceAll('"', '""')}".fleet_virtual_keys`;
  }

  init(): Promise<void> {
    this.ready ??= this.migrate().catch(error => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  async create(key: NewVirtualKey): Promise<VirtualKey> {
    await this.init();
    const created = toNewKey(key, new Date());
    await this.pool.query(
      keyInsertSQL(this.table, position => `$${position}`),
      keyInsertValues(created),
    );
    return created;
  }

  async get(id: string): Promise<VirtualKey | undefined> {
    await this.init();
    const result = await this.pool.query<KeyRow>(`SELECT * FROM ${this.table} WHERE id = $1`, [id]);
    return result.rows[0] ? fromKeyRow(result.rows[0]) : undefined;
  }

  async list(): Promise<VirtualKey[]> {
    await this.init();
    const result = await this.pool.query<KeyRow>(
      `SELECT * FROM ${this.table} ORDER BY created_at, id`,
    );
    return result.rows.map(fromKeyRow);
  }

  async revoke(id: string, at = new Date()): Promise<boolean> {
    await this.init();
    const result = await this.pool.query(
      `UPDATE ${this.table} SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2`,
      [at, id],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async rotate(id: string, secretHash: string, hint: string, at = new Date()): Promise<boolean> {
    await this.init();
    const result = await this.pool.query(
      `UPDATE ${this.table} SET secret_hash = $1, hint = $2, rotated_at = $3 WHERE id = $4 AND revoked_at IS NULL`,
      [secretHash, hint, at, id],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async ping(): Promise<void> {
    await this.init();
    await this.pool.query(`SELECT 1 FROM ${this.table} LIMIT 1`);
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }

  private async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // Instances starting together take turns, as the ledger's migrations do.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `conduit.fleet:${this.schema}`,
      ]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema.replaceAll('"', '""')}"`);
      await client.query(keyTableDDL(this.table, 'TIMESTAMPTZ'));
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
