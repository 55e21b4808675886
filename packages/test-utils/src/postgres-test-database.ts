/**
 * Test helper (`@conduit/test-utils/postgres`): the PostgreSQL URL for the real-database suites of
 * every package, plus unique schemas that are dropped afterwards, so concurrent runs never collide.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** `CONDUIT_TEST_POSTGRES_URL`, or `undefined` (callers decide between skip and failure). */
export const postgresTestURL: string | undefined =
  process.env.CONDUIT_TEST_POSTGRES_URL || undefined;

/**
 * Whether the PostgreSQL suites run. In CI a missing URL is an error (a silently skipped suite
 * would hide a broken ledger); locally the suites skip with a note.
 */
export function shouldRunPostgresTests(suite: string): boolean {
  if (postgresTestURL) return true;
  if (process.env.CI) {
    throw new Error(
      `${suite}: CONDUIT_TEST_POSTGRES_URL is not set but CI is; start PostgreSQL with scripts/start-postgres.sh`,
    );
  }
  // Straight to stderr: Jest drops console output of files whose tests are all skipped.
  process.stderr.write(
    `NOTE ${suite}: skipped, CONDUIT_TEST_POSTGRES_URL is not set (export CONDUIT_TEST_POSTGRES_URL=$(bash scripts/start-postgres.sh))\n`,
  );
  return false;
}

/** Hands out schema names unique to this run and drops them all in `dropAll`. */
export class TestSchemas {
  private readonly prefix = `conduit_test_${process.pid}_${randomBytes(3).toString('hex')}`;
  private readonly created: string[] = [];

  /** A fresh schema name (created by the store that opens it, dropped by `dropAll`). */
  next(): string {
    const schema = `${this.prefix}_${this.created.length + 1}`;
    this.created.push(schema);
    return schema;
  }

  /** `CONDUIT_TEST_POSTGRES_URL` with Conduit's `schema` parameter set to a fresh schema. */
  nextURL(): string {
    if (!postgresTestURL) throw new Error('CONDUIT_TEST_POSTGRES_URL is not set');
    const url = new URL(postgresTestURL);
    url.searchParams.set('schema', this.next());
    return url.toString();
  }

  async dropAll(): Promise<void> {
    if (!postgresTestURL || this.created.length === 0) return;
    const client = new pg.Client({ connectionString: postgresTestURL });
    await client.connect();
    try {
      for (const schema of this.created.splice(0)) {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      }
    } finally {
      await client.end();
    }
  }
}
