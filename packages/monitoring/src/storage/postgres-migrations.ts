import type { PoolClient } from 'pg';
import type { Migration } from './sqlite-migrations.js';

/** The PostgreSQL schema history of the usage ledger; `{schema}` is replaced by the quoted schema. */
export const postgresMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'create usage_records',
    statements: [
      `CREATE TABLE {schema}.usage_records (
        id TEXT PRIMARY KEY,
        ts TIMESTAMPTZ NOT NULL,
        project_id TEXT,
        agent_id TEXT,
        session_id TEXT,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        route_reason TEXT NOT NULL,
        input_tokens BIGINT NOT NULL DEFAULT 0,
        output_tokens BIGINT NOT NULL DEFAULT 0,
        cache_read_tokens BIGINT NOT NULL DEFAULT 0,
        cache_write_tokens BIGINT NOT NULL DEFAULT 0,
        usage_estimated BOOLEAN NOT NULL DEFAULT FALSE,
        cost_usd DOUBLE PRECISION,
        latency_ms DOUBLE PRECISION NOT NULL,
        ttfb_ms DOUBLE PRECISION,
        upstream_ms DOUBLE PRECISION,
        status INTEGER NOT NULL,
        error_type TEXT,
        is_error BOOLEAN NOT NULL DEFAULT FALSE,
        streamed BOOLEAN NOT NULL DEFAULT FALSE
      )`,
      'CREATE INDEX usage_records_ts ON {schema}.usage_records (ts)',
      'CREATE INDEX usage_records_project_ts ON {schema}.usage_records (project_id, ts)',
    ],
  },
  {
    version: 2,
    name: 'index usage_records by session',
    // `conduit statusline` asks for one session's totals every few hundred milliseconds.
    statements: ['CREATE INDEX usage_records_session ON {schema}.usage_records (session_id)'],
  },
];

/**
 * Applies missing migrations in one transaction holding a transaction-scoped advisory lock keyed
 * by the schema, so Conduit instances starting together against one database take turns: the
 * first applies, the others then find nothing left to do. Returns the versions applied.
 */
export async function migratePostgres(
  client: PoolClient,
  schema: string,
  migrations: readonly Migration[] = postgresMigrations,
): Promise<number[]> {
  const quoted = quoteIdentifier(schema);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`conduit.usage:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${quoted}.usage_schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
    );
    const result = await client.query<{ version: number }>(
      `SELECT version FROM ${quoted}.usage_schema_migrations`,
    );
    const applied = new Set(result.rows.map(row => row.version));
    const known = Math.max(0, ...migrations.map(migration => migration.version));
    const newest = Math.max(0, ...applied);
    if (newest > known) {
      throw new Error(
        `usage schema "${schema}" is at version ${newest}, newer than this Conduit supports (${known}); upgrade Conduit`,
      );
    }
    const appliedNow: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements) {
        await client.query(statement.replaceAll('{schema}', quoted));
      }
      await client.query(
        `INSERT INTO ${quoted}.usage_schema_migrations (version, name) VALUES ($1, $2)`,
        [migration.version, migration.name],
      );
      appliedNow.push(migration.version);
    }
    await client.query('COMMIT');
    return appliedNow;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

const identifierPattern = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Quotes a schema name after checking it is a plain identifier (no injection through config). */
export function quoteIdentifier(identifier: string): string {
  if (!identifierPattern.test(identifier)) {
    throw new Error(
      `"${identifier}" is not a valid PostgreSQL schema name (letters, digits and _; at most 63)`,
    );
  }
  return `"${identifier}"`;
}
