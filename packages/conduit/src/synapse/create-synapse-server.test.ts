import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import Anthropic from '@anthropic-ai/sdk';
import type { ConduitConfigInput } from '@conduit/core';
import {
  type MockAnthropicProvider,
  type MockOpenAIProvider,
  readFixtureText,
  startMockAnthropicProvider,
  startMockOpenAIProvider,
} from '@conduit/test-utils';
import { readConduitMetadata } from '@conduit/synapse';
import { createSynapseServer, type SynapseServer } from './create-synapse-server.js';

let anthropic: MockAnthropicProvider;
let cheap: MockOpenAIProvider;
let directory: string;
const servers: SynapseServer[] = [];
const apiKey = 'sk-conduit-test';

beforeAll(async () => {
  anthropic = await startMockAnthropicProvider();
  cheap = await startMockOpenAIProvider();
  directory = mkdtempSync(join(tmpdir(), 'synapse-server-'));
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
    APIKEY: apiKey,
    Providers: [
      {
        name: 'anthropic',
        api_base_url: anthropic.endpoint,
        api_key: 'sk-upstream',
        models: ['claude-sonnet-5', 'claude-opus-4-8'],
      },
      { name: 'cheap', api_base_url: cheap.endpoint, api_key: 'sk-cheap', models: ['cheap-model'] },
    ],
    Router: { default: 'anthropic,claude-sonnet-5', think: 'anthropic,claude-opus-4-8' },
    usage: {
      enabled: true,
      storage: `sqlite:${join(directory, `usage-${databases}.db`)}`,
      // $1000 per million tokens: the JSON fixture answer (23 in, 14 out) costs $0.037, the streamed
      // one (27 in, 14 out) $0.041.
      pricing: {
        'anthropic,claude-sonnet-5': { input: 1000, output: 1000 },
        'anthropic,claude-opus-4-8': { input: 1000, output: 1000 },
        'cheap,cheap-model': { input: 1, output: 1 },
      },
    },
    ...extra,
  };
}

async function start(configInput: ConduitConfigInput) {
  const server = await createSynapseServer(configInput);
  servers.push(server);
  const { url } = await server.start({ port: 0, host: '127.0.0.1' });
  const client = new Anthropic({ apiKey, baseURL: url, maxRetries: 0 });
  return { server, url, client };
}

const synapseHeaders = {
  'x-synapse-project-id': 'web',
  'x-synapse-agent-id': 'coder-1',
  'x-synapse-agent-type': 'coding',
  'x-synapse-task-type': 'bugfix',
};

const params = {
  model: 'claude-sonnet-5',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'say hi' }],
};

async function postMessages(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': apiKey,
      'anthropic-version': '2023-06-01',
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

describe('createSynapseServer: metadata on responses', () => {
  it('streams with metadata comments the SDK ignores, and Synapse headers', async () => {
    const { url, client } = await start(config());
    const withSDK = await client.messages
      .stream(params, { headers: synapseHeaders })
      .finalMessage();
    const direct = await new Anthropic({
      apiKey: 'x',
      baseURL: anthropic.url,
      maxRetries: 0,
    }).messages
      .stream(params)
      .finalMessage();
    expect(withSDK).toEqual(direct);

    const response = await postMessages(url, { ...params, stream: true }, synapseHeaders);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-synapse-project-id')).toBe('web');
    expect(response.headers.get('x-synapse-agent-id')).toBe('coder-1');
    expect(response.headers.get('x-conduit-route')).toBe('default');
    const text = await response.text();
    expect(text.replace(/^: conduit .*\n\n/gm, '')).toBe(readFixtureText('cc-response-text.sse'));
    const metadata = readConduitMetadata(text);
    expect(metadata).toMatchObject({
      phase: 'end',
      provider: 'anthropic',
      model: 'claude-sonnet-5',
      route: 'default',
      projectId: 'web',
      agentId: 'coder-1',
      agentType: 'coding',
      taskType: 'bugfix',
      usage: { inputTokens: 27, outputTokens: 14, cacheReadTokens: 0, cacheWriteTokens: 0 },
    });
    expect(metadata?.costUsd).toBeCloseTo(0.041, 10);
    expect(metadata?.requestId).toBe(response.headers.get('x-conduit-request-id'));
  });

  it('prices a JSON answer in x-conduit-cost-usd', async () => {
    const { url } = await start(config());
    const response = await postMessages(url, params, synapseHeaders);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      usage: { input_tokens: number; output_tokens: number };
    };
    const expected = ((body.usage.input_tokens + body.usage.output_tokens) * 1000) / 1_000_000;
    expect(Number(response.headers.get('x-conduit-cost-usd'))).toBeCloseTo(expected, 10);
    expect(response.headers.get('x-synapse-project-id')).toBe('web');
  });

  it('routes by agent type and says so in x-conduit-route', async () => {
    const { url } = await start(config());
    const response = await postMessages(url, params, {
      ...synapseHeaders,
      'x-synapse-agent-type': 'reasoning',
    });
    expect(response.headers.get('x-conduit-route')).toBe('synapse-agent-type');
    expect(response.headers.get('x-conduit-model')).toBe('claude-opus-4-8');
    expect(anthropic.requests.at(-1)?.json).toMatchObject({ model: 'claude-opus-4-8' });
  });

  it('answers a malformed Synapse header with a 400 naming it', async () => {
    const { url } = await start(config());
    const response = await postMessages(url, params, { 'x-synapse-cost-limits': '{"daily":"5$"}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: expect.stringMatching(
          /^Header x-synapse-cost-limits is invalid \(daily: must be a number of US dollars\)/,
        ),
      },
    });
    expect(anthropic.requests).toHaveLength(0);
  });
});

describe('createSynapseServer: budgets against the SQLite ledger', () => {
  it('rejects with a 429 rate_limit_error naming the budget once a project is over it', async () => {
    const { url, client } = await start(
      config({ synapse: { budgets: { projects: { web: { daily: 0.05 } } } } }),
    );
    expect((await postMessages(url, params, synapseHeaders)).status).toBe(200);
    // $0.037 spent of $0.05: still allowed.
    expect((await postMessages(url, params, synapseHeaders)).status).toBe(200);
    const refused = await postMessages(url, params, synapseHeaders);
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('rate_limit_error');
    expect(body.error.message).toMatch(
      /^Synapse budget exceeded: project "web" has spent \$0\.0740 of its \$0\.0500 daily limit \(resets \d{4}-\d{2}-\d{2}T00:00:00\.000Z\)\.$/,
    );
    await expect(
      client.messages.create(params, { headers: synapseHeaders }),
    ).rejects.toBeInstanceOf(Anthropic.RateLimitError);
    // Another project is not affected.
    expect(
      (await postMessages(url, params, { ...synapseHeaders, 'x-synapse-project-id': 'api' }))
        .status,
    ).toBe(200);
    expect(anthropic.requests).toHaveLength(3);
  });

  it('enforces an agent budget from the x-synapse-cost-limits header (headers only tighten)', async () => {
    const { url } = await start(config({ synapse: { budgets: { agent: { daily: 100 } } } }));
    const limits = { 'x-synapse-cost-limits': '{"perAgent":{"daily":0.01}}' };
    expect((await postMessages(url, params, { ...synapseHeaders, ...limits })).status).toBe(200);
    const refused = await postMessages(url, params, { ...synapseHeaders, ...limits });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
      'agent "coder-1" of project "web" has spent $0.0370 of its $0.0100 daily limit',
    );
    // A header cannot raise the configured limit.
    const raised = { 'x-synapse-cost-limits': '{"perAgent":{"daily":1000}}' };
    expect(
      (
        await postMessages(url, params, {
          ...synapseHeaders,
          'x-synapse-agent-id': 'other',
          ...raised,
        })
      ).status,
    ).toBe(200);
  });

  it('downgrades to synapse.downgradeRoute instead when budgetAction is downgrade', async () => {
    const { url } = await start(
      config({
        synapse: {
          budgets: { project: { monthly: 0.01 } },
          budgetAction: 'downgrade',
          downgradeRoute: 'cheap,cheap-model',
        },
      }),
    );
    const first = await postMessages(url, params, synapseHeaders);
    expect(first.headers.get('x-conduit-route')).toBe('default');
    const downgraded = await postMessages(url, { ...params, stream: true }, synapseHeaders);
    expect(downgraded.status).toBe(200);
    expect(downgraded.headers.get('x-conduit-route')).toBe('budget-downgrade');
    expect(downgraded.headers.get('x-conduit-provider')).toBe('cheap');
    expect(downgraded.headers.get('x-conduit-model')).toBe('cheap-model');
    expect(downgraded.headers.get('x-conduit-budget')).toBe('project:web:monthly');
    const metadata = readConduitMetadata(await downgraded.text());
    expect(metadata).toMatchObject({
      route: 'budget-downgrade',
      model: 'cheap-model',
      budget: { scope: 'project', id: 'web', period: 'monthly', limitUsd: 0.01 },
    });
    expect(cheap.requests).toHaveLength(1);
    expect(anthropic.requests).toHaveLength(1);
  });

  it('reads spend already in the ledger (a restart keeps the budget)', async () => {
    const budgets = { synapse: { budgets: { projects: { web: { daily: 0.05 } } } } };
    const configInput = config(budgets);
    const first = await start(configInput);
    expect((await postMessages(first.url, params, synapseHeaders)).status).toBe(200);
    expect((await postMessages(first.url, params, synapseHeaders)).status).toBe(200);
    await first.server.stop();
    const second = await start(configInput);
    const refused = await postMessages(second.url, params, synapseHeaders);
    expect(refused.status).toBe(429);
  });
});

describe('createSynapseServer: /api/synapse', () => {
  it('serves usage from the ledger behind the API key', async () => {
    const { url } = await start(config());
    await postMessages(url, params, synapseHeaders);
    await postMessages(url, params, { ...synapseHeaders, 'x-synapse-agent-id': 'reviewer' });
    await postMessages(url, params, { ...synapseHeaders, 'x-synapse-project-id': 'api' });

    const anonymous = await fetch(`${url}/api/synapse/usage?projectId=web`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { type: string } }).error.type).toBe(
      'authentication_error',
    );
    const wrong = await fetch(`${url}/api/synapse/usage`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);

    const auth = { authorization: `Bearer ${apiKey}` };
    const project = await fetch(`${url}/api/synapse/usage?projectId=web&since=1h`, {
      headers: auth,
    });
    expect(project.status).toBe(200);
    const summary = (await project.json()) as Record<string, unknown>;
    expect(summary).toMatchObject({
      projectId: 'web',
      agentId: null,
      requestCount: 2,
      inputTokens: 46,
      outputTokens: 28,
    });
    expect(summary.totalCost).toBeCloseTo(0.074, 10);
    const agent = await fetch(`${url}/api/synapse/usage?projectId=web&agentId=reviewer`, {
      headers: { 'x-api-key': apiKey },
    });
    expect(await agent.json()).toMatchObject({ agentId: 'reviewer', requestCount: 1 });
    const everything = await fetch(`${url}/api/synapse/usage`, { headers: auth });
    expect(await everything.json()).toMatchObject({ projectId: null, requestCount: 3 });

    const bad = await fetch(`${url}/api/synapse/usage?since=yesterday`, { headers: auth });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /^Query parameter "since" must be/,
    );
  });

  it('reports health behind the API key (it is a server extension)', async () => {
    const { url } = await start(config());
    expect((await fetch(`${url}/api/synapse/health`)).status).toBe(401);
    const response = await fetch(`${url}/api/synapse/health`, {
      headers: { 'x-api-key': apiKey },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'healthy',
      synapse: {
        enabled: true,
        plugin: { name: 'synapse', status: 'healthy' },
        budgetAction: 'reject',
      },
      usage: { status: 'healthy', backend: 'sqlite' },
      conduit: { providers: 2 },
    });
  });

  it('still serves Conduit’s own endpoints', async () => {
    const { url } = await start(config());
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await fetch(`${url}/v1/models`, { headers: { 'x-api-key': apiKey } })).status).toBe(
      200,
    );
  });
});
