import { afterAll, describe, expect, it } from '@jest/globals';
import { PostgresUsageStore } from './postgres-usage-store.js';
import { postgresTestURL, shouldRunPostgresTests, TestSchemas } from '@conduit/test-utils/postgres';
import { makeUsageRecord, runUsageStoreContract } from './usage-store.contract.js';
import { UsageStorageError } from './usage-store.js';

const schemas = new TestSchemas();
const runPostgres = shouldRunPostgresTests('PostgresUsageStore');

afterAll(async () => {
  await schemas.dropAll();
});

if (runPostgres) {
  runUsageStoreContract('PostgreSQL', async () => {
    const schema = schemas.next();
    return { open: () => new PostgresUsageStore({ connectionString: postgresTestURL!, schema }) };
  });
}

(runPostgres ? describe : describe.skip)('PostgresUsageStore', () => {
  it('takes the schema from the URL and never shows the password', async () => {
    const schema = schemas.next();
    const url = new URL(postgresTestURL!);
    url.searchParams.set('schema', schema);
    const store = new PostgresUsageStore({ connectionString: url.toString() });
    try {
      expect(store.schema).toBe(schema);
      if (url.password) {
        expect(store.location).toContain(':***@');
        expect(store.location).not.toContain(`:${url.password}@`);
      }
      await store.insertBatch([makeUsageRecord()]);
      expect(await store.listRecords()).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('reports an unreachable database as a storage error and recovers when it is back', async () => {
    const schema = schemas.next();
    // Port 1 on loopback refuses connections.
    const down = new PostgresUsageStore({
      connectionString: 'postgres://conduit:secret-password@127.0.0.1:1/conduit_test',
      schema,
      connectionTimeoutMs: 2000,
    });
    const failure = await down.init().catch((error: unknown) => error);
    expect(UsageStorageError.isInstance(failure)).toBe(true);
    expect((failure as Error).message).toMatch(/could not connect and migrate/);
    expect((failure as Error).message).not.toContain('secret-password');
    await down.close();
  });

  it('rejects schema names that are not plain identifiers', () => {
    expect(
      () =>
        new PostgresUsageStore({ connectionString: postgresTestURL!, schema: 'x"; DROP TABLE y' }),
    ).toThrow(/not a valid PostgreSQL schema name/);
  });

  it('rejects URLs that are not postgres URLs', () => {
    expect(() => new PostgresUsageStore({ connectionString: 'mysql://localhost/x' })).toThrow(
      /must start with postgres/,
    );
    expect(() => new PostgresUsageStore({ connectionString: 'not a url' })).toThrow(
      /not a valid postgres/,
    );
  });
});
