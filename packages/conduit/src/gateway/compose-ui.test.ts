import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Anthropic from '@anthropic-ai/sdk';
import { type MockOpenAIProvider, startMockOpenAIProvider } from '@conduit/test-utils';
import { createSynapseServer } from '../synapse/create-synapse-server.js';
import { startTestGateway } from './test-gateway.js';

const message = { model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };

describe('the composition root and the web UI', () => {
  let upstream: MockOpenAIProvider;
  let home: string;

  beforeAll(async () => {
    upstream = await startMockOpenAIProvider();
    home = await mkdtemp(join(tmpdir(), 'conduit-compose-ui-'));
  });
  afterAll(async () => {
    await upstream.close();
    await rm(home, { recursive: true, force: true });
  });

  const config = (extra: Record<string, unknown> = {}) => ({
    Providers: [
      { name: 'mock', api_base_url: upstream.endpoint, api_key: 'sk-mock-secret-1', models: ['m'] },
    ],
    Router: { default: 'mock,m' },
    usage: { storage: join(home, `${Math.random()}.db`), flushIntervalMs: 50 },
    ...extra,
  });

  it('leaves the UI off for the library unless asked for', async () => {
    const gateway = await startTestGateway(config());
    try {
      expect(gateway.server.ui).toBeUndefined();
      for (const path of ['/ui/', '/ui/api/overview', '/api/config', '/api/transformers']) {
        const response = await fetch(`${gateway.baseURL}${path}`);
        expect(response.status).toBe(404);
        expect(((await response.json()) as { type: string }).type).toBe('error');
      }
    } finally {
      await gateway.close();
    }
  });

  it('with `ui: true`, serves the dashboard from the gateway ledger, live feed and transformers, behind the API key', async () => {
    const configPath = join(home, 'config.json');
    const input = config({ APIKEY: 'conduit-ui-test-key' });
    await writeFile(configPath, JSON.stringify(input), { mode: 0o600 });
    const gateway = await startTestGateway(input, { configPath, ui: true });
    try {
      expect(gateway.server.ui).toBeDefined();
      const client = new Anthropic({
        baseURL: gateway.baseURL,
        apiKey: 'conduit-ui-test-key',
        maxRetries: 0,
      });
      await client.messages.create(message as never);
      await client.messages.create(message as never);
      await gateway.server.usageTracker!.flush();

      const call = (path: string, key?: string) =>
        fetch(`${gateway.baseURL}${path}`, key ? { headers: { 'x-api-key': key } } : {});
      // The UI authenticates itself: no key, no data (and no Anthropic key check's own answer).
      expect((await call('/ui/api/overview?range=1h')).status).toBe(401);
      expect((await call('/api/config')).status).toBe(401);

      const key = 'conduit-ui-test-key';
      const overview = (await (await call('/ui/api/overview?range=1h', key)).json()) as {
        totals: { requests: number };
      };
      const rows = await gateway.server.usageTracker!.listRecords({});
      expect(rows).toHaveLength(2);
      expect(overview.totals.requests).toBe(2);

      const feed = (await (await call('/ui/api/requests', key)).json()) as {
        requests: Array<{ servedBy: string; status: number }>;
      };
      expect(feed.requests.map(request => [request.servedBy, request.status])).toEqual([
        ['mock,m', 200],
        ['mock,m', 200],
      ]);

      const transformers = (await (await call('/api/transformers', key)).json()) as {
        transformers: Array<{ name: string }>;
      };
      expect(transformers.transformers.map(entry => entry.name)).toContain('openrouter');

      const ccrConfig = await (await call('/api/config', key)).text();
      expect(ccrConfig).toContain('mock');
      expect(ccrConfig).not.toContain('sk-mock-secret-1');
    } finally {
      await gateway.close();
    }
  });

  it('with `ui: true`, the Synapse gateway shows its budgets against its own ledger', async () => {
    const server = await createSynapseServer(
      config({ synapse: { budgets: { projects: { web: { daily: 5 } } } } }),
      { ui: true },
    );
    const { url } = await server.start({ port: 0, host: '127.0.0.1' });
    try {
      const client = new Anthropic({ baseURL: url, apiKey: 'unused', maxRetries: 0 });
      await client.messages.create(message as never, {
        headers: { 'x-synapse-project-id': 'web' },
      });
      await server.ledger.tracker!.flush();
      const budgets = (await (await fetch(`${url}/ui/api/budgets`)).json()) as {
        configured: boolean;
        lines: Array<{ scope: string; id: string; limitUsd: number }>;
      };
      expect(budgets.configured).toBe(true);
      expect(budgets.lines).toContainEqual(
        expect.objectContaining({ scope: 'project', id: 'web', limitUsd: 5 }),
      );
      const overview = (await (await fetch(`${url}/ui/api/overview?range=1h`)).json()) as {
        totals: { requests: number };
      };
      expect(overview.totals.requests).toBe(1);
    } finally {
      await server.stop();
    }
  });
});
