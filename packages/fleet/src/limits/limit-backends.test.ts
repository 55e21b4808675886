import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import Redis from 'ioredis';
import { redisTestURL, shouldRunRedisTests } from '../test-redis.js';
import { computeWindows, type LimitBackend, type LimitScope } from './limit-types.js';
import { LocalLimitBackend } from './local-limit-backend.js';
import { RedisLimitBackend } from './redis-limit-backend.js';

const windowMs = 60_000;
// Mid-window, so no test straddles a window boundary.
const base = Math.floor(Date.now() / windowMs) * windowMs + 1000;

function acquire(backend: LimitBackend, scopes: LimitScope[], estimatedTokens = 0, now = base) {
  return backend.acquire({
    scopes,
    ticketId: randomUUID(),
    estimatedTokens,
    windows: computeWindows(now, windowMs),
    leaseMs: 60_000,
  });
}

const redisClients: Redis[] = [];
afterAll(async () => {
  for (const client of redisClients) await client.quit();
});

const backends: Array<[string, () => LimitBackend]> = [['local', () => new LocalLimitBackend()]];
if (shouldRunRedisTests('fleet Redis limit backend')) {
  backends.push([
    'redis',
    () => {
      const client = new Redis(redisTestURL!);
      redisClients.push(client);
      return new RedisLimitBackend(client, `conduit-test:${randomUUID()}:`);
    },
  ]);
}

describe.each(backends)('%s limit backend', (_name, create) => {
  it('admits exactly rpm requests per window, then refuses with the time to the window end', async () => {
    const backend = create();
    const scopes = [{ id: 'key:a', limits: { rpm: 5 } }];
    const results = [];
    for (let index = 0; index < 8; index++) results.push(await acquire(backend, scopes));
    expect(results.filter(result => result.allowed)).toHaveLength(5);
    const refused = results[5]!;
    expect(refused).toMatchObject({ allowed: false, reason: 'requests', scopeIndex: 0 });
    if (!refused.allowed) expect(refused.retryAfterMs).toBe(windowMs - 1000);
    // The next window starts afresh.
    expect((await acquire(backend, scopes, 0, base + windowMs)).allowed).toBe(true);
  });

  it('refuses when any scope is exhausted and counts nothing in the others', async () => {
    const backend = create();
    const key = { id: 'key:b', limits: { rpm: 100 } };
    const global = { id: 'global', limits: { rpm: 2 } };
    expect((await acquire(backend, [key, global])).allowed).toBe(true);
    expect((await acquire(backend, [key, global])).allowed).toBe(true);
    const refused = await acquire(backend, [key, global]);
    expect(refused).toMatchObject({ allowed: false, reason: 'requests', scopeIndex: 1 });
    const admitted = await acquire(backend, [key]);
    // Two counted in the key scope before, the refused one not.
    expect(admitted).toEqual({ allowed: true, usage: [{ requests: 2, tokens: 0 }] });
  });

  it('counts estimated tokens up front and settles the real usage', async () => {
    const backend = create();
    const scopes = [{ id: 'key:c', limits: { tpm: 1000 } }];
    const windows = computeWindows(base, windowMs);
    const first = await acquire(backend, scopes, 600);
    expect(first.allowed).toBe(true);
    expect(await acquire(backend, scopes, 600)).toMatchObject({ allowed: false, reason: 'tokens' });
    // The first request really used 100 tokens: 500 come back.
    await backend.settle({ scopes, ticketId: 'x', windows, tokenDelta: -500, costMicros: 0 });
    expect(await acquire(backend, scopes, 600)).toEqual({
      allowed: true,
      usage: [{ requests: 1, tokens: 100 }],
    });
  });

  it('holds concurrency leases until settled', async () => {
    const backend = create();
    const scopes = [{ id: 'key:d', limits: { concurrency: 1 } }];
    const windows = computeWindows(base, windowMs);
    const ticketId = randomUUID();
    const first = await backend.acquire({
      scopes,
      ticketId,
      estimatedTokens: 0,
      windows,
      leaseMs: 60_000,
    });
    expect(first.allowed).toBe(true);
    expect(await acquire(backend, scopes)).toMatchObject({ allowed: false, reason: 'concurrency' });
    await backend.settle({ scopes, ticketId, windows, tokenDelta: 0, costMicros: 0 });
    expect((await acquire(backend, scopes)).allowed).toBe(true);
  });

  it('refuses once the daily budget is spent, until the next UTC day', async () => {
    const backend = create();
    const scopes = [{ id: 'key:e', limits: { budgetDaily: 1 } }];
    const windows = computeWindows(base, windowMs);
    expect((await acquire(backend, scopes)).allowed).toBe(true);
    await backend.settle({ scopes, ticketId: 't', windows, tokenDelta: 0, costMicros: 999_999 });
    expect((await acquire(backend, scopes)).allowed).toBe(true);
    await backend.addSpend('key:e', windows, 1);
    const refused = await acquire(backend, scopes);
    expect(refused).toMatchObject({ allowed: false, reason: 'budget-daily' });
    if (!refused.allowed) expect(refused.retryAfterMs).toBe(windows.dayEnd - base);
    expect((await acquire(backend, scopes, 0, windows.dayEnd + 1000)).allowed).toBe(true);
  });

  it('reads a scope’s day and month spend without counting anything', async () => {
    const backend = create();
    const scopes = [{ id: 'key:f', limits: { budgetDaily: 1, rpm: 2 } }];
    const windows = computeWindows(base, windowMs);
    expect(await backend.readSpend('key:f', windows)).toEqual({ dayMicros: 0, monthMicros: 0 });
    expect((await acquire(backend, scopes)).allowed).toBe(true);
    await backend.settle({ scopes, ticketId: 't', windows, tokenDelta: 0, costMicros: 850_000 });
    for (let index = 0; index < 3; index++) {
      expect(await backend.readSpend('key:f', windows)).toEqual({
        dayMicros: 850_000,
        monthMicros: 850_000,
      });
    }
    // Reads took no request slot: one of the two rpm slots is still free.
    expect(await acquire(backend, scopes)).toEqual({
      allowed: true,
      usage: [{ requests: 1, tokens: 0 }],
    });
  });
});
