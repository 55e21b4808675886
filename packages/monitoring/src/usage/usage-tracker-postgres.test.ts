import { createServer, type Server, type Socket, connect } from 'node:net';
import { afterAll, describe, expect, it } from '@jest/globals';
import { PostgresUsageStore } from '../storage/postgres-usage-store.js';
import { postgresTestURL, shouldRunPostgresTests, TestSchemas } from '@conduit/test-utils/postgres';
import { createRecordingLogger } from '../test-logger.js';
import {
  expectOneRowPerRequest,
  makeTestRequest,
  runInterleavedRequests,
} from './test-requests.js';
import { UsageTracker } from './usage-tracker.js';

const schemas = new TestSchemas();
const runPostgres = shouldRunPostgresTests('UsageTracker on PostgreSQL');

afterAll(async () => {
  await schemas.dropAll();
});

/** A TCP proxy to the real PostgreSQL that can be taken down and brought back on the same port. */
class OutageProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: URL) {}

  async up(): Promise<void> {
    const server = createServer(client => {
      const upstream = connect(Number(this.target.port || 5432), this.target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>(resolve => (server ? server.close(() => resolve()) : resolve()));
  }

  url(): string {
    const url = new URL(this.target);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }
}

(runPostgres ? describe : describe.skip)('UsageTracker on PostgreSQL', () => {
  it('keeps exactly one row per request under 5000 interleaved concurrent reports', async () => {
    const store = new PostgresUsageStore({
      connectionString: postgresTestURL!,
      schema: schemas.next(),
    });
    const tracker = new UsageTracker({ store, batchSize: 100, flushIntervalMs: 5 });
    const requests = await runInterleavedRequests(5000, request =>
      tracker.trackRequest(request.context, request.decision, request.outcome),
    );
    await tracker.close();
    const reader = new PostgresUsageStore({
      connectionString: postgresTestURL!,
      schema: store.schema,
    });
    try {
      expectOneRowPerRequest(await reader.listRecords({}, { limit: 10000 }), requests);
    } finally {
      await reader.close();
    }
  });

  it('strips NUL characters PostgreSQL text cannot hold instead of failing the batch', async () => {
    const tracker = new UsageTracker({
      store: new PostgresUsageStore({ connectionString: postgresTestURL!, schema: schemas.next() }),
      autoFlush: false,
    });
    const request = makeTestRequest(0, {
      context: { metadata: { projectId: 'pro\u0000ject' } },
      outcome: { requestId: 'req\u0000nul', errorType: 'bad\u0000type' },
    });
    tracker.trackRequest(request.context, request.decision, request.outcome);
    await tracker.flush();
    const [row] = await tracker.listRecords();
    expect(row).toMatchObject({ id: 'reqnul', projectId: 'project', errorType: 'badtype' });
    await tracker.close();
  });

  it('lets several instances write to one shared ledger at once', async () => {
    const schema = schemas.next();
    const trackers = Array.from(
      { length: 3 },
      () =>
        new UsageTracker({
          store: new PostgresUsageStore({ connectionString: postgresTestURL!, schema }),
          batchSize: 50,
          flushIntervalMs: 5,
        }),
    );
    const requests = await runInterleavedRequests(3000, request =>
      trackers[Number(request.outcome.requestId.slice(4)) % 3]!.trackRequest(
        request.context,
        request.decision,
        request.outcome,
      ),
    );
    await Promise.all(trackers.map(tracker => tracker.close()));
    const reader = new PostgresUsageStore({ connectionString: postgresTestURL!, schema });
    try {
      expectOneRowPerRequest(await reader.listRecords({}, { limit: 10000 }), requests);
      const stats = await reader.getStats();
      expect(stats.totals.requests).toBe(3000);
      expect(stats.byModel).toHaveLength(6);
    } finally {
      await reader.close();
    }
  });

  it('survives the database going away: rows stay queued, health says so, and nothing is lost', async () => {
    const proxy = new OutageProxy(new URL(postgresTestURL!));
    await proxy.up();
    const logger = createRecordingLogger();
    const store = new PostgresUsageStore({
      connectionString: proxy.url(),
      schema: schemas.next(),
      connectionTimeoutMs: 2000,
      logger,
    });
    const tracker = new UsageTracker({ store, autoFlush: false, logger });
    try {
      for (let index = 0; index < 10; index++) {
        const request = makeTestRequest(index);
        tracker.trackRequest(request.context, request.decision, request.outcome);
      }
      await tracker.flush();

      await proxy.down();
      for (let index = 10; index < 30; index++) {
        const request = makeTestRequest(index);
        tracker.trackRequest(request.context, request.decision, request.outcome);
      }
      await expect(tracker.flush()).rejects.toThrow(/PostgreSQL usage store/);
      const health = tracker.getHealth();
      expect(health).toMatchObject({ status: 'unhealthy', queued: 20, written: 10 });
      expect(health.lastError).toMatch(/could not write usage records/);
      expect((await tracker.checkHealth()).status).toBe('unhealthy');

      await proxy.up();
      await tracker.flush();
      expect(tracker.getHealth()).toMatchObject({ status: 'healthy', queued: 0, written: 30 });
      expect((await tracker.getStats()).totals.requests).toBe(30);
    } finally {
      await tracker.close();
      await proxy.down();
    }
  });
});
