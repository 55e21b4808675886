/**
 * The fleet plugged into a real gateway, judged with the official Anthropic SDK: virtual keys
 * beside the master APIKEY, per-key limits answered as Anthropic's 429 with retry-after, bindings
 * that win over client headers, the ledger's key column, and secrets kept out of every output.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createUsageStore } from '@conduit/monitoring';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { masterKey, startFleetGateway, type TestFleetGateway } from './test-fleet-gateway.js';

const message = {
  model: 'claude-opus-4-8',
  max_tokens: 32,
  messages: [{ role: 'user' as const, content: 'hi' }],
};

function client(gateway: TestFleetGateway, apiKey: string, headers: Record<string, string> = {}) {
  return new Anthropic({ baseURL: gateway.url, apiKey, maxRetries: 0, defaultHeaders: headers });
}

async function admin(gateway: TestFleetGateway, path: string, body?: unknown, key = masterKey) {
  const response = await fetch(`${gateway.url}/api/fleet${path}`, {
    method:
      body === undefined && !path.endsWith('/revoke') && !path.endsWith('/rotate') ? 'GET' : 'POST',
    headers: { 'x-api-key': key, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('fleet in a gateway (one instance, local limits)', () => {
  let gateway: TestFleetGateway;
  const secrets: string[] = [];

  beforeAll(async () => {
    gateway = await startFleetGateway({ limits: { projects: { capped: { rpm: 1 } } } });
  });
  afterAll(async () => {
    await gateway.close();
  });

  async function createKey(body: Record<string, unknown>) {
    const { status, json } = await admin(gateway, '/keys', body);
    expect(status).toBe(201);
    secrets.push(json.key as string);
    return json as { id: string; key: string };
  }

  it('serves the master APIKEY and a virtual key, and refuses unknown keys', async () => {
    const key = await createKey({ name: 'alice' });
    await expect(client(gateway, masterKey).messages.create(message)).resolves.toMatchObject({
      type: 'message',
    });
    await expect(client(gateway, key.key).messages.create(message)).resolves.toMatchObject({
      type: 'message',
    });
    const forged = `${key.key.slice(0, -4)}AAAA`;
    await expect(client(gateway, forged).messages.create(message)).rejects.toBeInstanceOf(
      Anthropic.AuthenticationError,
    );
  });

  it('answers a spent per-key rpm with 429 rate_limit_error, retry-after and ratelimit headers', async () => {
    const key = await createKey({ name: 'bob', limits: { rpm: 2 } });
    const sdk = client(gateway, key.key);
    const first = await sdk.messages.create(message).withResponse();
    expect(first.response.headers.get('anthropic-ratelimit-requests-limit')).toBe('2');
    expect(first.response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('1');
    expect(first.response.headers.get('anthropic-ratelimit-requests-reset')).toMatch(/Z$/);
    await sdk.messages.create(message);
    const refused = await sdk.messages.create(message).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Anthropic.RateLimitError);
    const error = refused as InstanceType<typeof Anthropic.RateLimitError>;
    expect(error.status).toBe(429);
    expect(Number(error.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(error.message).toContain('request rate limit of API key');
    // The master key has no limits of its own.
    await expect(client(gateway, masterKey).messages.create(message)).resolves.toBeDefined();
  });

  it('books a bound key to its project whatever the client sends, and project limits apply', async () => {
    const key = await createKey({ name: 'capped-agent', projectId: 'capped' });
    const sdk = client(gateway, key.key, { 'x-synapse-project-id': 'someone-else' });
    const answer = await sdk.messages.create(message).withResponse();
    const refused = await sdk.messages.create(message).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Anthropic.RateLimitError);
    expect((refused as Error).message).toMatch(/rate limit of project .*capped/);
    await gateway.server.usageTracker!.flush();
    const store = createUsageStore(`sqlite:${join(gateway.home, 'usage.db')}`);
    const rows = await store.listRecords({ apiKeyId: key.id });
    await store.close();
    expect(rows.map(row => [row.projectId, row.apiKeyId, row.status])).toEqual([
      ['capped', key.id, 200],
      ['capped', key.id, 429],
    ]);
    expect(rows[0]!.id).toBe(answer.response.headers.get('x-conduit-request-id'));
  });

  it('refuses a model the key may not use with 403 permission_error', async () => {
    const key = await createKey({ name: 'narrow', models: ['anthropic,*'] });
    const refused = await client(gateway, key.key)
      .messages.create(message)
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Anthropic.PermissionDeniedError);
  });

  it('stops a key at its daily budget (over by at most the requests in flight)', async () => {
    // gpt-4o-mini: 10 input + 5 output tokens cost $0.0000045; the budget allows two requests.
    const key = await createKey({ name: 'thrifty', limits: { budgetDaily: 0.000008 } });
    const sdk = client(gateway, key.key);
    await sdk.messages.create(message);
    await sdk.messages.create(message);
    const refused = await sdk.messages.create(message).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Anthropic.RateLimitError);
    expect((refused as Error).message).toContain('daily budget');
  });

  it('refuses a revoked key at once, and a rotated key only with its new secret', async () => {
    const key = await createKey({ name: 'leaver' });
    await client(gateway, key.key).messages.create(message);
    const rotated = await admin(gateway, `/keys/${key.id}/rotate`);
    expect(rotated.status).toBe(200);
    secrets.push(rotated.json.key as string);
    await expect(client(gateway, key.key).messages.create(message)).rejects.toBeInstanceOf(
      Anthropic.AuthenticationError,
    );
    await client(gateway, rotated.json.key as string).messages.create(message);
    expect((await admin(gateway, `/keys/${key.id}/revoke`)).status).toBe(200);
    const refused = await client(gateway, rotated.json.key as string)
      .messages.create(message)
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((refused as Error).message).toContain('revoked');
  });

  it('keeps the admin API to the master key', async () => {
    const key = await createKey({ name: 'not-admin' });
    expect((await admin(gateway, '/keys', undefined, key.key)).status).toBe(401);
    const listed = await admin(gateway, '/keys');
    expect(listed.status).toBe(200);
    expect((listed.json.keys as unknown[]).length).toBeGreaterThan(0);
    expect((await admin(gateway, '/keys', { limits: {} })).status).toBe(400);
    expect((await admin(gateway, '/keys/vk_0000000000000000/revoke')).status).toBe(404);
  });

  it('never lets a secret reach the ledger, /metrics, /health or the logs', async () => {
    await gateway.server.usageTracker!.flush();
    const store = createUsageStore(`sqlite:${join(gateway.home, 'usage.db')}`);
    const rows = JSON.stringify(await store.listRecords({}, { limit: 1000 }));
    await store.close();
    const metrics = await (
      await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${masterKey}` } })
    ).text();
    const health = await (
      await fetch(`${gateway.url}/health`, { headers: { authorization: `Bearer ${masterKey}` } })
    ).text();
    const listed = JSON.stringify((await admin(gateway, '/keys')).json);
    expect(secrets.length).toBeGreaterThan(5);
    for (const secret of secrets) {
      for (const output of [rows, metrics, health, listed, gateway.logs.join('\n')]) {
        expect(output).not.toContain(secret);
        expect(output).not.toContain(secret.slice(-43));
      }
    }
  });
});

describe('fleet budgets across a restart (one instance, no Redis)', () => {
  it('keeps a spent budget spent: the counters are seeded from the ledger', async () => {
    const home = mkdtempSync(join(tmpdir(), 'conduit-fleet-restart-'));
    try {
      const first = await startFleetGateway({}, {}, { home });
      let key: { id: string; key: string };
      try {
        key = (await admin(first, '/keys', { name: 'restart', limits: { budgetDaily: 0.000008 } }))
          .json as { id: string; key: string };
        const sdk = client(first, key.key);
        await sdk.messages.create(message);
        await sdk.messages.create(message);
        await expect(sdk.messages.create(message)).rejects.toBeInstanceOf(Anthropic.RateLimitError);
      } finally {
        await first.close();
      }
      const second = await startFleetGateway({}, {}, { home });
      try {
        const refused = await client(second, key.key)
          .messages.create(message)
          .catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(Anthropic.RateLimitError);
        expect((refused as Error).message).toContain('daily budget');
      } finally {
        await second.close();
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('fleet with its Redis unreachable', () => {
  // Nothing listens on port 9 of the loopback (discard); connections are refused at once.
  const redis = 'redis://127.0.0.1:9/0';

  it('fail-open: serves under local limits and reports the degradation in /health', async () => {
    const gateway = await startFleetGateway({ redis, failMode: 'open' });
    try {
      const key = (await admin(gateway, '/keys', { name: 'open', limits: { rpm: 1 } })).json as {
        key: string;
      };
      const sdk = client(gateway, key.key);
      await sdk.messages.create(message);
      await expect(sdk.messages.create(message)).rejects.toBeInstanceOf(Anthropic.RateLimitError);
      const health = (await (
        await fetch(`${gateway.url}/health`, { headers: { authorization: `Bearer ${masterKey}` } })
      ).json()) as {
        status: string;
        warnings: string[];
        components: { fleet: { status: string; message: string } };
      };
      expect(health.status).toBe('degraded');
      expect(health.components.fleet.status).toBe('degraded');
      expect(health.warnings.join('\n')).toContain('serving under per-instance limits');
      expect(gateway.logs.join('\n')).toContain('Redis is unreachable');
    } finally {
      await gateway.close();
    }
  });

  it('fail-closed: refuses limited requests with 503 overloaded_error and retry-after', async () => {
    const gateway = await startFleetGateway({ redis, failMode: 'closed' });
    try {
      const key = (await admin(gateway, '/keys', { name: 'closed', limits: { rpm: 100 } }))
        .json as {
        key: string;
      };
      const refused = await client(gateway, key.key)
        .messages.create(message)
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(Anthropic.APIError);
      const error = refused as InstanceType<typeof Anthropic.APIError>;
      expect(error.status).toBe(503);
      expect(error.headers?.get('retry-after')).toBe('1');
      // Unlimited callers (the master key here) are not affected.
      await expect(client(gateway, masterKey).messages.create(message)).resolves.toBeDefined();
    } finally {
      await gateway.close();
    }
  });
});
