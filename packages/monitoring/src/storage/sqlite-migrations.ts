import type BetterSqlite3 from 'better-sqlite3';

/** One forward-only schema change. Versions are never reused or edited once released. */
export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

/** The SQLite schema history of the usage ledger. */
export const sqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'create usage_records',
    statements: [
      `CREATE TABLE usage_records (
        id TEXT PRIMARY KEY,
        ts INTEGER NOT NULL,
        project_id TEXT,
        agent_id TEXT,
        session_id TEXT,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        route_reason TEXT NOT NULL,
        input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0,
        cache_read_tokens INTEGER NOT NULL DEFAULT 0,
        cache_write_tokens INTEGER NOT NULL DEFAULT 0,
        usage_estimated INTEGER NOT NULL DEFAULT 0,
        cost_usd REAL,
        latency_ms REAL NOT NULL,
        ttfb_ms REAL,
        upstream_ms REAL,
        status INTEGER NOT NULL,
        error_type TEXT,
        is_error INTEGER NOT NULL DEFAULT 0,
        streamed INTEGER NOT NULL DEFAULT 0
      )`,
      'CREATE INDEX usage_records_ts ON usage_records (ts)',
      'CREATE INDEX usage_records_project_ts ON usage_records (project_id, ts)',
    ],
  },
  {
    version: 2,
    name: 'index usage_records by session',
    // `conduit statusline` asks for one session's totals every few hundred milliseconds.
    statements: ['CREATE INDEX usage_records_session ON usage_records (session_id)'],
  },
];

/**
 * Applies the migrations not yet recorded in `usage_schema_migrations`, all in one
 * `BEGIN IMMEDIATE` transaction so two processes opening the same file cannot both apply one.
 * Refuses a database migrated by a newer Conduit (it could not read it correctly).
 */
export function migrateSQLite(
  database: BetterSqlite3.Database,
  migrations: readonly Migration[] = sqliteMigrations,
): number[] {
  const apply = database.transaction(() => {
    database.exec(
      'CREATE TABLE IF NOT EXISTS usage_schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    const applied = new Set(
      (
        database.prepare('SELECT version FROM usage_schema_migrations').all() as Array<{
          version: number;
        }>
      ).map(row => row.version),
    );
    const known = Math.max(0, ...migrations.map(migration => migration.version));
    const newest = Math.max(0, ...applied);
    if (newest > known) {
      throw new Error(
        `usage database schema version ${newest} is newer than this Conduit supports (${known}); upgrade Conduit`,
      );
    }
    const record = database.prepare(
      'INSERT INTO usage_schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
    );
    const appliedNow: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements) database.exec(statement);
      record.run(migration.version, migration.name, Date.now());
      appliedNow.push(migration.version);
    }
    return appliedNow;
  });
  return apply.immediate();
}
