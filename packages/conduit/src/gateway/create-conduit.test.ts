import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Anthropic from '@anthropic-ai/sdk';
import { type MockOpenAIProvider, startMockOpenAIProvider } from '@conduit/test-utils';
import { startTestGateway } from './test-gateway.js';

const message = { model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };

function metricValue(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = text
    .split('\n')
    .find(row => row.startsWith(`${name}{`) && wanted.every(label => row.includes(label)));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('the wired gateway: plugins, usage ledger, metrics, health', () => {
  let upstream: MockOpenAIProvider;
  let home: string;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let client: Anthropic;

  beforeAll(async () => {
    upstream = await startMockOpenAIProvider();
    home = await mkdtemp(join(tmpdir(), 'conduit-services-'));
    gateway = await startTestGateway(
      {
        Providers: [
          { name: 'mock', api_base_url: upstream.endpoint, api_key: 'sk-a-key', models: ['m'] },
          { name: 'blocked', api_base_url: upstream.endpoint, api_key: 'sk-b-key', models: ['m'] },
        ],
        Router: { default: 'mock,m' },
        usage: { storage: join(home, 'usage.db'), flushIntervalMs: 50 },
        plugins: [
          {
            name: 'request-metadata-tagger',
            config: { headers: { 'x-project': 'projectId' } },
          },
          { name: 'model-allowlist', config: { allow: ['mock,*'] } },
        ],
      },
      { home },
    );
    client = new Anthropic({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
    await rm(home, { recursive: true, force: true });
  });

  it('loads the config plugins on start: a plugin refusal is an Anthropic error', async () => {
    const error = await client.messages
      .create({ ...message, model: 'blocked,m' } as never)
      .catch(caught => caught);
    expect(error).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(error.error.error.type).toBe('permission_error');
    expect(error.error.error.message).toContain('blocked,m');
    expect(gateway.server.plugins?.getLoadedPlugins().map(plugin => plugin.name)).toEqual([
      'request-metadata-tagger',
      'model-allowlist',
    ]);
  });

  it('records every request once in the ledger and the metrics, served at /api/usage and /metrics', async () => {
    const headers = (project: string, agent: string) => ({
      headers: { 'x-project': project, 'x-claude-code-agent-id': agent },
    });
    await client.messages.create(message as never, headers('web', 'coder'));
    await client.messages.create(message as never, headers('web', 'reviewer'));
    await client.messages
      .stream({ ...message, stream: true } as never, headers('api', 'coder'))
      .finalMessage();
    await gateway.server.usageTracker!.flush();

    const usage = async (query: string) => {
      const response = await fetch(`${gateway.baseURL}/api/usage${query}`);
      expect(response.status).toBe(200);
      return (await response.json()) as {
        totals: { requests: number; inputTokens: number };
        byAgent: Array<{ agentId: string | null }>;
      };
    };
    expect((await usage('')).totals.requests).toBe(3);
    expect((await usage('?projectId=web')).totals).toMatchObject({ requests: 2, inputTokens: 20 });
    expect((await usage('?agentId=coder')).totals.requests).toBe(2);
    expect((await usage('?projectId=web&agentId=coder')).totals.requests).toBe(1);
    expect((await usage('?since=2000-01-01T00:00:00Z&until=2000-01-02')).totals.requests).toBe(0);
    const bad = await fetch(`${gateway.baseURL}/api/usage?since=yesterday`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('since');

    const metrics = await fetch(`${gateway.baseURL}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    const served = { provider: 'mock', model: 'm', status: '200' };
    expect(metricValue(text, 'conduit_requests_total', served)).toBe(3);
    expect(
      metricValue(text, 'conduit_tokens_total', { provider: 'mock', model: 'm', type: 'input' }),
    ).toBe(30);
  });

  it('answers liveness and readiness with the checks', async () => {
    await gateway.server.runHealthChecks();
    const live = await fetch(`${gateway.baseURL}/health`);
    expect(live.status).toBe(200);
    const health = (await live.json()) as {
      status: string;
      ready: boolean;
      checks: Array<{ name: string; status: string }>;
    };
    expect(health.status).toBe('ok');
    expect(health.ready).toBe(true);
    expect(health.checks.map(check => [check.name, check.status]).sort()).toEqual([
      ['plugins', 'healthy'],
      ['providers', 'healthy'],
      ['router', 'healthy'],
      ['server', 'healthy'],
      ['storage', 'healthy'],
    ]);
    const ready = await fetch(`${gateway.baseURL}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', failing: [] });
  });

  it('reloads plugins with the config', async () => {
    await gateway.server.updateConfig({ plugins: [] });
    expect(gateway.server.plugins?.getLoadedPlugins()).toEqual([]);
    const answer = await client.messages.create({ ...message, model: 'blocked,m' } as never);
    expect(answer.content[0]).toMatchObject({ type: 'text' });
  });
});

describe('readiness and a failing usage store', () => {
  it('is not ready without providers, but stays alive', async () => {
    const gateway = await startTestGateway({});
    try {
      const ready = await fetch(`${gateway.baseURL}/health/ready`);
      expect(ready.status).toBe(503);
      const body = (await ready.json()) as {
        status: string;
        failing: Array<{ name: string; message: string }>;
      };
      expect(body.status).toBe('not_ready');
      expect(body.failing.map(check => check.name)).toEqual(['router']);
      expect(body.failing[0]!.message).toContain('No providers are configured');
      expect((await fetch(`${gateway.baseURL}/health`)).status).toBe(200);
    } finally {
      await gateway.close();
    }
  });

  it('serves requests and starts when the ledger cannot be opened; health reports it', async () => {
    const upstream = await startMockOpenAIProvider();
    const gateway = await startTestGateway({
      Providers: [
        { name: 'mock', api_base_url: upstream.endpoint, api_key: 'sk-k', models: ['m'] },
      ],
      Router: { default: 'mock,m' },
      // A file cannot be a directory: SQLite cannot create the database here.
      usage: { storage: '/dev/null/usage.db', flushIntervalMs: 20 },
    });
    try {
      const client = new Anthropic({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
      await client.messages.create(message as never);
      await gateway.server.usageTracker!.flush().catch(() => undefined);
      const report = await gateway.server.runHealthChecks();
      const storage = report.checks.find(check => check.name === 'storage');
      expect(storage).toMatchObject({ status: 'unhealthy', critical: false });
      expect(report.ready).toBe(true);
      expect((await fetch(`${gateway.baseURL}/health/ready`)).status).toBe(200);
    } finally {
      await gateway.close();
      await upstream.close();
    }
  });

  it('answers /api/usage with 503 when usage tracking is off', async () => {
    const gateway = await startTestGateway({ usage: { enabled: false } });
    try {
      const response = await fetch(`${gateway.baseURL}/api/usage`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as { error: { type: string; message: string } };
      expect(body.error.message).toContain('Usage statistics are not available');
    } finally {
      await gateway.close();
    }
  });
});
