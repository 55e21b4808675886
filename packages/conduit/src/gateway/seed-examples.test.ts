/**
 * The seed plan's section 5 through `@conduit/conduit`, as its snippets are written: Example 1
 * (a `synapse`-preset ConduitServer), Example 2 (`SynapseIntegration#routeClaudeRequest`),
 * Example 3 (`getUsageStats`), and the plan's ConduitServer unit test, against a recording mock
 * Anthropic upstream on 127.0.0.1. HTTP output is judged with the official Anthropic SDK.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type MockAnthropicProvider, startMockAnthropicProvider } from '@conduit/test-utils';
import {
  type ConduitConfig,
  ConduitServer,
  ContextExtractor,
  createConduitClient,
  createConduitServer,
  SynapseIntegration,
} from '../index.js';

let upstream: MockAnthropicProvider;
let home: string;
let previousHome: string | undefined;

beforeAll(async () => {
  upstream = await startMockAnthropicProvider();
  home = mkdtempSync(join(tmpdir(), 'conduit-seed-examples-'));
  // The examples' ledgers (SQLite) go to a throwaway Conduit home.
  previousHome = process.env.CONDUIT_HOME;
  process.env.CONDUIT_HOME = home;
});

afterAll(async () => {
  await upstream.close();
  if (previousHome === undefined) delete process.env.CONDUIT_HOME;
  else process.env.CONDUIT_HOME = previousHome;
  rmSync(home, { recursive: true, force: true });
});

function exampleConfig(): ConduitConfig {
  return {
    preset: 'synapse',
    server: { port: 0, healthCheck: true },
    Providers: [
      {
        name: 'anthropic',
        api_base_url: upstream.endpoint,
        api_key: 'sk-upstream',
        models: ['claude-3-5-sonnet-20241022', 'claude-3-5-haiku-20241022'],
      },
    ],
    Router: {
      default: 'anthropic,claude-3-5-sonnet-20241022',
      longContext: 'anthropic,claude-3-5-sonnet-20241022',
      background: 'anthropic,claude-3-5-haiku-20241022',
    },
  };
}

describe('seed plan 5.1 Example 1: basic Synapse integration', () => {
  it('builds the Synapse gateway from preset "synapse" and serves /v1/messages', async () => {
    const conduit = new ConduitServer(exampleConfig());
    await conduit.start();
    try {
      expect(conduit.usesSynapse).toBe(true);
      expect(conduit.plugins?.getLoadedPlugins().map(plugin => plugin.name)).toContain('synapse');
      expect(conduit.getHealth().healthy).toBe(true);

      const client = new Anthropic({ baseURL: conduit.url ?? '', apiKey: 'unused', maxRetries: 0 });
      const message = await client.messages.create(
        {
          model: 'claude-3-5-haiku-20241022',
          max_tokens: 64,
          messages: [{ role: 'user', content: 'Hello world' }],
        },
        { headers: { 'x-synapse-project-id': 'web-app', 'x-synapse-agent-id': 'coder-1' } },
      );
      expect(message.type).toBe('message');
      expect(message.content[0]?.type).toBe('text');
      const sent = upstream.requests.at(-1);
      expect(sent?.headers['x-api-key']).toBe('sk-upstream');
      expect((sent?.json as { model?: string } | undefined)?.model).toBe(
        'claude-3-5-haiku-20241022',
      );

      const health = await fetch(`${conduit.url}/api/synapse/health`);
      expect(health.status).toBe(200);
    } finally {
      await conduit.stop();
    }
    expect(conduit.getHealth().healthy).toBe(false);
  });
});

describe('seed plan 5.1 Examples 2 and 3: programmatic routing and usage tracking', () => {
  it('routes a Claude command line and reports the project usage', async () => {
    const config = exampleConfig();
    const integration = new SynapseIntegration(config);
    try {
      const routingDecision = await integration.routeClaudeRequest(['--message', 'Hello world'], {
        ...process.env,
        SYNAPSE_PROJECT_ID: 'project-123',
        SYNAPSE_AGENT_ID: 'coder-1',
        SYNAPSE_AGENT_TYPE: 'coding',
      });
      expect(routingDecision).toMatchObject({
        model: 'claude-3-5-sonnet-20241022',
        provider: 'anthropic',
        metadata: { projectId: 'project-123', agentId: 'coder-1', reason: 'default' },
      });

      await integration.trackUsage({
        projectId: 'project-123',
        agentId: 'coder-1',
        provider: routingDecision.provider,
        model: routingDecision.model,
        inputTokens: 1_000_000,
        outputTokens: 0,
      });
      const stats = await integration.getUsageStats('project-123');
      // The routing row (estimated) and the reported call.
      expect(stats.requestCount).toBe(2);
      expect(stats.totalCost).toBeGreaterThanOrEqual(3);
    } finally {
      await integration.close();
    }
  });

  it('extracts the Synapse context with new ContextExtractor().extractFromEnvironment(env)', () => {
    const context = new ContextExtractor().extractFromEnvironment({
      SYNAPSE_PROJECT_ID: 'project-123',
      SYNAPSE_AGENT_ID: 'coder-1',
      SYNAPSE_AGENT_TYPE: 'Reasoning',
    });
    expect(context).toMatchObject({
      projectId: 'project-123',
      agentId: 'coder-1',
      agentType: 'reasoning',
    });
  });
});

describe('seed plan 5.2: ConduitServer unit test', () => {
  const testConfig: ConduitConfig = {
    Providers: [
      {
        name: 'anthropic',
        api_base_url: 'http://127.0.0.1:9/v1/messages',
        api_key: 'sk-test',
        models: ['claude-3-5-sonnet-20241022'],
      },
    ],
    Router: { default: 'anthropic,claude-3-5-sonnet-20241022' },
    server: { port: 0 },
    usage: { enabled: false },
  };

  it('should start and stop cleanly', async () => {
    const server = new ConduitServer(testConfig);
    await server.start();
    expect(server.getHealth().healthy).toBe(true);
    await server.stop();
    expect(server.getHealth().healthy).toBe(false);
  });

  it('should route requests correctly', async () => {
    const server = new ConduitServer(testConfig);
    const decision = await server.route({
      tokenCount: 1000,
      model: 'claude-3-5-sonnet-20241022',
      message: 'Test message',
      metadata: {},
    });
    expect(decision.model).toBe('claude-3-5-sonnet-20241022');
    expect(decision.provider).toBe('anthropic');
    await server.stop();
  });

  it('createConduitClient(config) and createConduitServer(config) build the same gateway', async () => {
    for (const server of [createConduitClient(testConfig), createConduitServer(testConfig)]) {
      expect(server.usesSynapse).toBe(false);
      await server.updateConfig({ Router: { default: 'anthropic,claude-3-5-sonnet-20241022' } });
      await expect(
        server.route({ tokenCount: 70000, model: 'x', message: 'long', metadata: {} }),
      ).resolves.toMatchObject({ provider: 'anthropic', reason: 'default' });
      await server.stop();
    }
  });
});
