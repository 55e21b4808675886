import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { ConduitConfigInput } from '@conduit/core';
import { createUsageTracker } from '@conduit/monitoring';
import { parseConduitConfig } from '@conduit/server';
import {
  type MockAnthropicProvider,
  type MockOpenAIProvider,
  startMockAnthropicProvider,
  startMockOpenAIProvider,
} from '@conduit/test-utils';
import { readConduitMetadata } from '@conduit/synapse';
import { createSynapseServer, type SynapseServer } from './create-synapse-server.js';

let anthropic: MockAnthropicProvider;
let cheap: MockOpenAIProvider;
let directory: string;
const servers: SynapseServer[] = [];

beforeAll(async () => {
  anthropic = await startMockAnthropicProvider();
  cheap = await startMockOpenAIProvider();
  directory = mkdtempSync(join(tmpdir(), 'synapse-ledger-'));
});

afterEach(async () => {
  while (servers.length > 0) await servers.pop()!.stop();
  anthropic.reset();
  cheap.reset();
});

afterAll(async () => {
  await anthropic.close();
  await cheap.close();
  rmSync(directory, { recursive: true, force: true });
});

let databases = 0;
function config(extra: Partial<ConduitConfigInput> = {}): ConduitConfigInput {
  databases++;
  return {
    preset: 'synapse',
    Providers: [
      {
        name: 'anthropic',
        api_base_url: anthropic.endpoint,
        api_key: 'sk-upstream',
        models: ['claude-sonnet-5'],
      },
      { name: 'cheap', api_base_url: cheap.endpoint, api_key: 'sk-cheap', models: ['cheap-model'] },
    ],
    Router: { default: 'anthropic,claude-sonnet-5' },
    usage: { enabled: true, storage: `sqlite:${join(directory, `usage-${databases}.db`)}` },
    ...extra,
  };
}

const params = {
  model: 'claude-sonnet-5',
  max_tokens: 64,
  messages: [{ role: 'user', content: 'say hi' }],
};

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
    body: JSON.stringify(body),
  });
  await response.text();
  return response.status;
}

/** Every row in the ledger, read through a tracker of its own after the server stopped. */
async function readLedger(configInput: ConduitConfigInput) {
  const tracker = createUsageTracker(parseConduitConfig(configInput).usage);
  try {
    return await tracker.listRecords();
  } finally {
    await tracker.close();
  }
}

describe('createSynapseServer: one ledger row per request', () => {
  it('writes exactly N rows for N requests, with the x-synapse-* project and agent ids', async () => {
    const configInput = config();
    const server = await createSynapseServer(configInput);
    servers.push(server);
    const { url } = await server.start({ port: 0 });

    const web = { 'x-synapse-project-id': 'web', 'x-synapse-agent-id': 'coder-1' };
    const statuses = [
      await post(url, params, web),
      await post(url, { ...params, stream: true }, web),
      await post(url, params, { 'x-synapse-project-id': 'api', 'x-synapse-agent-id': 'reviewer' }),
      await post(url, { ...params, stream: true }, { 'x-synapse-project-id': 'api' }),
      // Claude Code's own subagent id is not Synapse's agent, but with no Synapse agent it is
      // still the agent the server attributes the request to.
      await post(url, params, { 'x-claude-code-agent-id': 'subagent-9' }),
    ];
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    // Refused before routing: no provider to attribute, so no row.
    expect(await post(url, params, { 'x-synapse-cost-limits': 'not json' })).toBe(400);
    await server.stop();

    const rows = await readLedger(configInput);
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map(row => row.id)).size).toBe(5);
    expect(
      rows.map(row => [row.projectId, row.agentId, row.streamed, row.provider, row.status]),
    ).toEqual([
      ['web', 'coder-1', false, 'anthropic', 200],
      ['web', 'coder-1', true, 'anthropic', 200],
      ['api', 'reviewer', false, 'anthropic', 200],
      ['api', null, true, 'anthropic', 200],
      [null, 'subagent-9', false, 'anthropic', 200],
    ]);
    expect(rows.every(row => row.inputTokens > 0 && row.outputTokens > 0)).toBe(true);
  });

  it('writes to a tracker the caller passes in, and leaves it open', async () => {
    const configInput = config();
    const tracker = createUsageTracker(parseConduitConfig(configInput).usage);
    const server = await createSynapseServer(configInput, { usageTracker: tracker });
    servers.push(server);
    const { url } = await server.start({ port: 0 });
    expect(server.ledger.tracker).toBe(tracker);
    await post(url, params, { 'x-synapse-project-id': 'web' });
    await post(url, params, { 'x-synapse-project-id': 'web', 'x-synapse-agent-id': 'a' });
    await server.stop();
    const rows = await tracker.listRecords({ projectId: 'web' });
    expect(rows.map(row => row.agentId)).toEqual([null, 'a']);
    await tracker.close();
  });
});

describe('createSynapseServer: privacy', () => {
  const synapseHeaders = {
    'x-synapse-project-id': 'secret-project',
    'x-synapse-agent-id': 'secret-agent',
    'x-synapse-agent-type': 'coding',
    'x-synapse-task-type': 'bugfix',
    'x-synapse-cost-limits': '{"daily":100}',
  };

  it.each([
    ['the Anthropic passthrough', 'anthropic,claude-sonnet-5', () => anthropic.requests],
    ['an OpenAI-compatible provider', 'cheap,cheap-model', () => cheap.requests],
  ])('does not forward x-synapse-* headers to %s', async (_name, route, requests) => {
    const server = await createSynapseServer(config({ Router: { default: route } }));
    servers.push(server);
    const { url } = await server.start({ port: 0 });
    expect(await post(url, params, synapseHeaders)).toBe(200);
    expect(await post(url, { ...params, stream: true }, synapseHeaders)).toBe(200);
    const recorded = requests();
    expect(recorded).toHaveLength(2);
    for (const request of recorded) {
      expect(Object.keys(request.headers).filter(name => name.startsWith('x-synapse'))).toEqual([]);
      const text = JSON.stringify(request.headers) + request.rawBody;
      expect(text).not.toContain('secret-project');
      expect(text).not.toContain('secret-agent');
    }
  });
});

describe('createSynapseServer: config reloads and caller hooks', () => {
  const withThink = (extra: Partial<ConduitConfigInput> = {}) =>
    config({
      Router: { default: 'anthropic,claude-sonnet-5', think: 'cheap,cheap-model' },
      ...extra,
    });

  it('applies a config the gateway reloaded by itself to Synapse before the next request', async () => {
    const server = await createSynapseServer(withThink());
    servers.push(server);
    const { url } = await server.start({ port: 0 });
    const reasoning = { 'x-synapse-agent-type': 'reasoning' };
    await post(url, params, reasoning);
    expect(cheap.requests).toHaveLength(1);
    // As a file reload does: the server's config changes, Synapse is not told.
    await server.conduit.updateConfig({ synapse: { agentMapping: { reasoning: 'default' } } });
    await post(url, params, reasoning);
    expect(cheap.requests).toHaveLength(1);
    expect(anthropic.requests).toHaveLength(1);
    expect(server.plugin.getSettings().agentMapping.reasoning).toBe('default');
  });

  it('keeps the previous Synapse settings when a reloaded config does not work for Synapse', async () => {
    const errors: string[] = [];
    const logger = {
      trace() {},
      debug() {},
      info() {},
      warn() {},
      error(message: string) {
        errors.push(message);
      },
    };
    const server = await createSynapseServer(withThink(), { logger });
    servers.push(server);
    const { url } = await server.start({ port: 0 });
    await server.conduit.updateConfig({
      synapse: { budgetAction: 'downgrade', downgradeRoute: 'nowhere,missing' },
    });
    expect(await post(url, params, { 'x-synapse-agent-type': 'reasoning' })).toBe(200);
    expect(cheap.requests).toHaveLength(1);
    expect(errors).toContain(
      'synapse: the reloaded config cannot be applied; Synapse keeps its previous settings',
    );
    expect(server.plugin.getSettings().budgetAction).toBe('reject');
  });

  it('runs the caller’s response hooks after Synapse’s', async () => {
    const server = await createSynapseServer(config(), {
      responseHooks: {
        headers: input => ({ 'x-caller-project': String(input.metadata.projectId) }),
        transformStream: () =>
          new TransformStream({
            flush(controller) {
              controller.enqueue(new TextEncoder().encode(': caller\n\n'));
            },
          }),
      },
    });
    servers.push(server);
    const { url } = await server.start({ port: 0 });
    const response = await fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-synapse-project-id': 'web' },
      body: JSON.stringify({ ...params, stream: true }),
    });
    expect(response.headers.get('x-caller-project')).toBe('web');
    expect(response.headers.get('x-synapse-project-id')).toBe('web');
    const text = await response.text();
    expect(text.startsWith(': conduit {')).toBe(true);
    expect(readConduitMetadata(text)).toMatchObject({ phase: 'end', projectId: 'web' });
    expect(text.endsWith(': caller\n\n')).toBe(true);
  });
});
