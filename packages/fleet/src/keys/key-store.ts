import type { ScopeLimits } from '../fleet-config.js';
import type { VirtualKey } from './virtual-key.js';

/** What a new key is made of (the id and the secret's hash are created by the caller). */
export interface NewVirtualKey {
  id: string;
  name: string;
  secretHash: string;
  hint: string;
  projectId?: string | null;
  agentId?: string | null;
  models?: string[];
  limits?: ScopeLimits;
}

/**
 * Where virtual keys live: SQLite for one machine, PostgreSQL when instances share it. Both
 * migrate on first use and look keys up by id (a primary key), never by scanning.
 */
export interface KeyStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Where the keys live, safe to log. */
  readonly location: string;
  init(): Promise<void>;
  create(key: NewVirtualKey): Promise<VirtualKey>;
  get(id: string): Promise<VirtualKey | undefined>;
  list(): Promise<VirtualKey[]>;
  /** Marks the key revoked; false when there is no such key. */
  revoke(id: string, at?: Date): Promise<boolean>;
  /** Replaces the secret's hash; false when there is no such (unrevoked) key. */
  rotate(id: string, secretHash: string, hint: string, at?: Date): Promise<boolean>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The columns both stores share, as plain values. */
export interface KeyRow {
  id: string;
  name: string;
  secret_hash: string;
  hint: string;
  project_id: string | null;
  agent_id: string | null;
  models: string;
  limits: string;
  created_at: number | Date;
  revoked_at: number | Date | null;
  rotated_at: number | Date | null;
}

export function fromKeyRow(row: KeyRow): VirtualKey {
  const date = (value: number | Date | null) =>
    value === null ? null : value instanceof Date ? value : new Date(Number(value));
  return {
    id: row.id,
    name: row.name,
    secretHash: row.secret_hash,
    hint: row.hint,
    projectId: row.project_id,
    agentId: row.agent_id,
    models: JSON.parse(row.models) as string[],
    limits: JSON.parse(row.limits) as ScopeLimits,
    createdAt: date(row.created_at) ?? new Date(0),
    revokedAt: date(row.revoked_at),
    rotatedAt: date(row.rotated_at),
  };
}

export function toNewKey(key: NewVirtualKey, now: Date): VirtualKey {
  return {
    id: key.id,
    name: key.name,
    secretHash: key.secretHash,
    hint: key.hint,
    projectId: key.projectId ?? null,
    agentId: key.agentId ?? null,
    models: key.models ?? [],
    limits: key.limits ?? {},
    createdAt: now,
    revokedAt: null,
    rotatedAt: null,
  };
}

/**
 * `CREATE TABLE` for the keys, one definition for both stores: they differ only in how a time is
 * stored (SQLite: epoch ms as INTEGER; PostgreSQL: TIMESTAMPTZ).
 */
export function keyTableDDL(table: string, timeType: 'INTEGER' | 'TIMESTAMPTZ'): string {
  return `CREATE TABLE IF NOT EXISTS ${table} (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    hint TEXT NOT NULL,
    project_id TEXT,
    agent_id TEXT,
    models TEXT NOT NULL DEFAULT '[]',
    limits TEXT NOT NULL DEFAULT '{}',
    created_at ${timeType} NOT NULL,
    revoked_at ${timeType},
    rotated_at ${timeType}
  )`;
}

/** The insert columns both stores write, in order, and their values for a new key. */
export const keyInsertColumns =
  'id, name, secret_hash, hint, project_id, agent_id, models, limits, created_at';

/** `INSERT` of a new key; `placeholder(n)` is the store's parameter syntax (`?` or `$n`). */
export function keyInsertSQL(table: string, placeholder: (position: number) => string): string {
  const values = keyInsertColumns.split(', ').map((_column, index) => placeholder(index + 1));
  return `INSERT INTO ${table} (${keyInsertColumns}) VALUES (${values.join(', ')})`;
}

export function keyInsertValues(
  key: VirtualKey,
): [string, string, string, string, string | null, string | null, string, string, Date] {
  return [
    key.id,
    key.name,
    key.secretHash,
    key.hint,
    key.projectId,
    key.agentId,
    JSON.stringify(key.models),
    JSON.stringify(key.limits),
    key.createdAt,
  ];
}
