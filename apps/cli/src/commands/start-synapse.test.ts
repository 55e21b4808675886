import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createUsageTracker } from '@conduit/conduit';
import { createSandbox, findFreePort, type Sandbox } from '../../test/cli-harness.js';
import { type MockOpenAIServer, startMockOpenAIServer } from '../../test/mock-openai-server.js';

const apiKey = 'synapse-inbound-key';

describe('conduit start with the synapse preset', () => {
  let sandbox: Sandbox;
  let upstream: MockOpenAIServer;
  let configFile: string;
  let storage: string;
  let port: number;

  beforeAll(async () => {
    upstream = await startMockOpenAIServer();
  });
  afterAll(async () => {
    await upstream.close();
  });
  beforeEach(async () => {
    sandbox = createSandbox();
    port = await findFreePort();
    configFile = path.join(sandbox.root, 'config.json');
    storage = `sqlite:${path.join(sandbox.root, 'usage.db')}`;
    writeFileSync(
      configFile,
      JSON.stringify({
        preset: 'synapse',
        APIKEY: apiKey,
        Providers: [
          {
            name: 'mock',
            api_base_url: `${upstream.url}/v1/chat/completions`,
            api_key: 'sk-upstream-secret-key',
            models: ['mock-model'],
          },
        ],
        Router: { default: 'mock,mock-model' },
        usage: { storage, flushIntervalMs: 50 },
      }),
    );
  });
  afterEach(async () => {
    await sandbox.dispose();
  });

  it('serves Synapse: headers echoed, one ledger row with the project, /api/synapse/health', async () => {
    const start = await sandbox.run([
      'start',
      '--daemon',
      '--port',
      String(port),
      '--config',
      configFile,
    ]);
    expect(start.stderr).toBe('');
    expect(start.code).toBe(0);
    const url = `http://127.0.0.1:${port}`;

    const response = await fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': apiKey,
        'x-synapse-project-id': 'web',
        'x-synapse-agent-id': 'coder-1',
      },
      body: JSON.stringify({
        model: 'claude-sonnet-4-5',
        max_tokens: 32,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-synapse-project-id')).toBe('web');
    expect(response.headers.get('x-synapse-agent-id')).toBe('coder-1');
    await response.text();
    expect(upstream.requests).toHaveLength(1);
    expect(
      Object.keys(upstream.requests[0]!.headers).filter(name => name.startsWith('x-synapse')),
    ).toEqual([]);

    const health = await fetch(`${url}/api/synapse/health`, { headers: { 'x-api-key': apiKey } });
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'healthy',
      synapse: { enabled: true, plugin: { name: 'synapse', status: 'healthy' } },
      usage: { status: 'healthy', backend: 'sqlite' },
    });
    expect((await fetch(`${url}/api/synapse/health`)).status).toBe(401);

    const stop = await sandbox.run(['stop']);
    expect(stop.code).toBe(0);

    const tracker = createUsageTracker({ storage });
    try {
      const rows = await tracker.listRecords();
      expect(rows.map(row => [row.projectId, row.agentId, row.provider, row.status])).toEqual([
        ['web', 'coder-1', 'mock', 200],
      ]);
    } finally {
      await tracker.close();
    }

    const log = readFileSync(path.join(sandbox.conduitHome, 'logs', 'conduit.log'), 'utf8');
    expect(log).toContain('synapse enabled');
    expect(log).not.toMatch(/failed to load|not a built-in plugin/);
  });
});
