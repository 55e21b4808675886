import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ConduitConfigInput, ConfigError, InvalidRequestError } from '@conduit/core';
import { createUsageStore, type UsageStore } from '@conduit/monitoring';
import { shouldRunPostgresTests, TestSchemas } from '@conduit/test-utils/postgres';
import { BudgetExceededError, ClaudeCommandLineError, SynapseContextError } from '@conduit/synapse';
import { SynapseIntegration, type SynapseIntegrationOptions } from './synapse-integration.js';

let directory: string;
const stores: UsageStore[] = [];

beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'synapse-integration-'));
});

afterAll(async () => {
  for (const store of stores) await store.close();
  rmSync(directory, { recursive: true, force: true });
});

function sqliteStore(): UsageStore {
  const store = createUsageStore(`sqlite:${join(directory, `usage-${stores.length}.db`)}`);
  stores.push(store);
  return store;
}

const baseConfig: ConduitConfigInput = {
  preset: 'synapse',
  Providers: [
    {
      name: 'anthropic',
      api_base_url: 'http://127.0.0.1:9/v1/messages',
      models: ['claude-opus-4-8', 'claude-sonnet-5', 'claude-haiku-4-5-20251001'],
    },
    {
      name: 'deepseek',
      api_base_url: 'http://127.0.0.1:9/chat/completions',
      models: ['deepseek-chat', 'deepseek-reasoner'],
    },
  ],
  Router: {
    default: 'anthropic,claude-sonnet-5',
    think: 'deepseek,deepseek-reasoner',
    background: 'deepseek,deepseek-chat',
  },
  usage: {
    enabled: true,
    pricing: {
      'anthropic,claude-sonnet-5': { input: 3, output: 15 },
      'deepseek,deepseek-chat': { input: 0.25, output: 1 },
    },
  },
};

async function withIntegration<T>(
  options: Partial<SynapseIntegrationOptions>,
  run: (synapse: SynapseIntegration) => Promise<T>,
): Promise<T> {
  const synapse = new SynapseIntegration({
    config: baseConfig,
    usageStore: sqliteStore(),
    env: {},
    ...options,
  });
  try {
    return await run(synapse);
  } finally {
    await synapse.close();
  }
}

const synapseEnv = {
  SYNAPSE_PROJECT_ID: 'web',
  SYNAPSE_AGENT_ID: 'coder-1',
  SYNAPSE_AGENT_TYPE: 'coding',
  SYNAPSE_TASK_TYPE: 'bugfix',
};

/** Splits a command line the way a POSIX shell does for these cases (double quotes only). */
function argv(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map(match => match[1] ?? match[2]!);
}

describe('SynapseIntegration.routeClaudeRequest', () => {
  it.each<[string, Record<string, string>, Record<string, unknown>]>([
    [
      'claude -p "say hi" --model sonnet',
      {},
      { provider: 'anthropic', model: 'claude-sonnet-5', reason: 'default' },
    ],
    [
      'claude --model deepseek,deepseek-chat "fix the bug"',
      {},
      { provider: 'deepseek', model: 'deepseek-chat', reason: 'explicit' },
    ],
    [
      'claude --append-system-prompt "be brief" -p hello',
      {},
      {
        provider: 'anthropic',
        model: 'claude-sonnet-5',
        reason: 'default',
        requestedModel: 'claude-opus-4-8',
      },
    ],
    [
      'claude -p "summarize the diff" --model haiku',
      {},
      { provider: 'deepseek', model: 'deepseek-chat', reason: 'background' },
    ],
    [
      'claude -p "prove it"',
      { SYNAPSE_AGENT_TYPE: 'reasoning' },
      { provider: 'deepseek', model: 'deepseek-reasoner', reason: 'synapse-agent-type' },
    ],
    [
      'claude -p "think about it"',
      { MAX_THINKING_TOKENS: '8000' },
      { model: 'deepseek-reasoner', reason: 'think' },
    ],
    [
      'claude -p "go"',
      { ANTHROPIC_MODEL: 'deepseek,deepseek-chat' },
      { model: 'deepseek-chat', reason: 'explicit' },
    ],
    [
      'claude -p "refactor" --output-format stream-json --max-turns 5 --allowedTools Read,Edit',
      { SYNAPSE_PROJECT_MODEL_CONFIG: '{"Router":{"default":"deepseek,deepseek-chat"}}' },
      { provider: 'deepseek', model: 'deepseek-chat', reason: 'synapse-project-router' },
    ],
    [
      'claude -p "pinned"',
      { SYNAPSE_AGENT_MODEL_CONFIG: '{"model":"anthropic,claude-haiku-4-5-20251001"}' },
      { model: 'claude-haiku-4-5-20251001', reason: 'synapse-agent-model' },
    ],
  ])('%s (env %j)', async (line, env, expected) => {
    await withIntegration({}, async synapse => {
      const result = await synapse.routeClaudeRequest(argv(line), { ...synapseEnv, ...env });
      const { provider, model, ...metadataExpectations } = expected;
      expect({ provider: result.provider, model: result.model }).toMatchObject({
        ...(provider ? { provider } : {}),
        ...(model ? { model } : {}),
      });
      expect(result.metadata).toMatchObject({
        ...metadataExpectations,
        projectId: 'web',
        agentId: 'coder-1',
        route: `${result.provider},${result.model}`,
      });
      expect(result.metadata.tokenCount).toBeGreaterThan(0);
    });
  });

  it('counts the prompt and system prompts', async () => {
    await withIntegration({}, async synapse => {
      const short = await synapse.routeClaudeRequest(['-p', 'hi']);
      const long = await synapse.routeClaudeRequest([
        '--system-prompt',
        'You are a careful reviewer. '.repeat(50),
        '-p',
        'hi',
      ]);
      expect(long.metadata.tokenCount).toBeGreaterThan(short.metadata.tokenCount + 200);
    });
  });

  it('reads the base env given to the constructor under the per-call env', async () => {
    await withIntegration(
      { env: { SYNAPSE_PROJECT_ID: 'base', SYNAPSE_AGENT_TYPE: 'reasoning' } },
      async synapse => {
        const result = await synapse.routeClaudeRequest(['-p', 'x'], {
          SYNAPSE_PROJECT_ID: 'call',
        });
        expect(result.metadata).toMatchObject({
          projectId: 'call',
          agentType: 'reasoning',
          reason: 'synapse-agent-type',
        });
      },
    );
  });

  it('rejects a malformed SYNAPSE_* variable naming it', async () => {
    await withIntegration({}, async synapse => {
      const failure = synapse.routeClaudeRequest(['-p', 'x'], { SYNAPSE_COST_LIMITS: '{"daily":' });
      await expect(failure).rejects.toThrow(
        /^Environment variable SYNAPSE_COST_LIMITS is not valid JSON/,
      );
      expect(SynapseContextError.isInstance(await failure.catch(error => error))).toBe(true);
      await expect(
        synapse.routeClaudeRequest(['-p', 'x'], {
          SYNAPSE_PROJECT_MODEL_CONFIG: '{"model":"openai,gpt-5"}',
        }),
      ).rejects.toThrow(
        /^Environment variable SYNAPSE_PROJECT_MODEL_CONFIG: model "openai,gpt-5" names provider "openai"/,
      );
    });
  });

  it('rejects command lines that make no model request', async () => {
    await withIntegration({}, async synapse => {
      const failure = synapse.routeClaudeRequest(['claude', 'mcp', 'list']);
      expect(ClaudeCommandLineError.isInstance(await failure.catch(error => error))).toBe(true);
    });
  });
});

describe('SynapseIntegration usage', () => {
  it('tracks usage and reads stats from the ledger, routing records included', async () => {
    await withIntegration({}, async synapse => {
      const routed = await synapse.routeClaudeRequest(['-p', 'fix it'], synapseEnv);
      const tracked = await synapse.trackUsage({
        projectId: 'web',
        agentId: 'coder-1',
        provider: routed.provider,
        model: routed.model,
        inputTokens: 1000,
        outputTokens: 200,
        cacheReadTokens: 500,
        latencyMs: 1234,
      });
      expect(tracked.costUsd).toBeCloseTo((1000 * 3 + 200 * 15 + 500 * 3) / 1_000_000, 12);
      await synapse.trackUsage({
        projectId: 'web',
        agentId: 'reviewer',
        provider: 'deepseek',
        model: 'deepseek-chat',
        inputTokens: 4000,
        outputTokens: 1000,
      });
      await synapse.trackUsage({
        projectId: 'other',
        provider: 'deepseek',
        model: 'deepseek-chat',
        inputTokens: 1,
        outputTokens: 1,
      });

      const stats = await synapse.getUsageStats('web');
      expect(stats).toMatchObject({
        projectId: 'web',
        requestCount: 3,
        inputTokens: 5000,
        outputTokens: 1200,
        cacheReadTokens: 500,
        estimatedRequests: 1,
      });
      expect(stats.totalCost).toBeCloseTo(tracked.costUsd! + (4000 * 0.25 + 1000) / 1_000_000, 12);
      const agent = await synapse.getUsageStats('web', { agentId: 'coder-1' });
      expect(agent).toMatchObject({ agentId: 'coder-1', requestCount: 2, inputTokens: 1000 });
      expect(stats.byAgent.map(entry => entry.agentId).sort()).toEqual(['coder-1', 'reviewer']);
    });
  });

  it('records nothing for routing when trackRouting is false', async () => {
    await withIntegration({ trackRouting: false }, async synapse => {
      await synapse.routeClaudeRequest(['-p', 'x'], synapseEnv);
      expect((await synapse.getUsageStats('web')).requestCount).toBe(0);
    });
  });

  it('rejects a malformed usage report naming the field', async () => {
    await withIntegration({}, async synapse => {
      const failure = synapse.trackUsage({
        projectId: 'web',
        provider: 'x',
        model: 'y',
        inputTokens: -1,
        outputTokens: 1,
      });
      const error = await failure.catch(caught => caught);
      expect(InvalidRequestError.isInstance(error)).toBe(true);
      expect((error as Error).message).toBe(
        'Invalid usage report: inputTokens: Too small: expected number to be >=0.',
      );
    });
  });

  it('needs a ledger for usage and for budgets', async () => {
    const synapse = new SynapseIntegration({
      config: { ...baseConfig, usage: { enabled: false } },
      env: {},
    });
    await expect(synapse.getUsageStats('web')).rejects.toThrow(/usage\.enabled: is false/);
    await synapse.close();
    await expect(synapse.routeClaudeRequest(['-p', 'x'])).rejects.toThrow(/closed/);
    expect(
      () =>
        new SynapseIntegration({
          config: {
            ...baseConfig,
            usage: { enabled: false },
            synapse: { budgets: { project: { daily: 1 } } },
          },
        }),
    ).toThrow(ConfigError);
  });
});

/** One scenario for every ledger backend: spend recorded, then budgets checked both ways. */
export function describeBudgetEnforcement(
  name: string,
  createStore: () => Promise<UsageStore> | UsageStore,
) {
  describe(`SynapseIntegration budgets (${name})`, () => {
    it('rejects over a project daily budget, naming it', async () => {
      const store = await createStore();
      await withIntegration(
        {
          usageStore: store,
          config: { ...baseConfig, synapse: { budgets: { projects: { web: { daily: 0.01 } } } } },
        },
        async synapse => {
          await expect(synapse.routeClaudeRequest(['-p', 'x'], synapseEnv)).resolves.toBeDefined();
          await synapse.trackUsage({
            projectId: 'web',
            agentId: 'coder-1',
            provider: 'anthropic',
            model: 'claude-sonnet-5',
            inputTokens: 5000,
            outputTokens: 0,
          });
          const failure = synapse.routeClaudeRequest(['-p', 'x'], synapseEnv);
          const error = await failure.catch(caught => caught);
          expect(BudgetExceededError.isInstance(error)).toBe(true);
          expect((error as BudgetExceededError).violation).toMatchObject({
            scope: 'project',
            id: 'web',
            period: 'daily',
            limitUsd: 0.01,
          });
          expect((error as BudgetExceededError).violation.spentUsd).toBeCloseTo(0.015, 12);
          expect((error as BudgetExceededError).statusCode).toBe(429);
          await expect(
            synapse.routeClaudeRequest(['-p', 'x'], { ...synapseEnv, SYNAPSE_PROJECT_ID: 'other' }),
          ).resolves.toBeDefined();
        },
      );
    });

    it('downgrades over an agent budget from SYNAPSE_COST_LIMITS', async () => {
      const store = await createStore();
      const config = {
        ...baseConfig,
        synapse: { budgetAction: 'downgrade', downgradeRoute: 'deepseek,deepseek-chat' },
      };
      await withIntegration({ usageStore: store, config }, async synapse => {
        const env = { ...synapseEnv, SYNAPSE_COST_LIMITS: '{"perAgent":{"monthly":0.002}}' };
        expect((await synapse.routeClaudeRequest(['-p', 'x'], env)).metadata.reason).toBe(
          'default',
        );
        await synapse.trackUsage({
          projectId: 'web',
          agentId: 'coder-1',
          provider: 'anthropic',
          model: 'claude-sonnet-5',
          inputTokens: 1000,
          outputTokens: 0,
        });
        const downgraded = await synapse.routeClaudeRequest(['-p', 'x'], env);
        expect(downgraded).toMatchObject({ provider: 'deepseek', model: 'deepseek-chat' });
        expect(downgraded.metadata).toMatchObject({
          reason: 'budget-downgrade',
          budget: {
            scope: 'agent',
            id: 'coder-1',
            projectId: 'web',
            period: 'monthly',
            limitUsd: 0.002,
          },
          fallbacks: [],
        });
        // Another agent of the same project is under its own limit.
        expect(
          (await synapse.routeClaudeRequest(['-p', 'x'], { ...env, SYNAPSE_AGENT_ID: 'coder-2' }))
            .metadata.reason,
        ).toBe('default');
      });
    });

    it('counts spend already in the ledger from an earlier process', async () => {
      const store = await createStore();
      const config = { ...baseConfig, synapse: { budgets: { project: { monthly: 0.01 } } } };
      const first = new SynapseIntegration({ config, usageStore: store, env: {} });
      await first.trackUsage({
        projectId: 'web',
        provider: 'anthropic',
        model: 'claude-sonnet-5',
        inputTokens: 4000,
        outputTokens: 0,
      });
      await first.close();
      await withIntegration({ usageStore: store, config }, async synapse => {
        await expect(synapse.routeClaudeRequest(['-p', 'x'], synapseEnv)).rejects.toThrow(
          /^Synapse budget exceeded: project "web" has spent \$0\.0120 of its \$0\.0100 monthly limit/,
        );
      });
    });
  });
}

describeBudgetEnforcement('SQLite', sqliteStore);

// Guarded like the monitoring PostgreSQL suites: fails under CI without a database, says why when
// skipped locally, and drops every schema it creates.
const postgresSchemas = new TestSchemas();
afterAll(async () => {
  await postgresSchemas.dropAll();
});
if (shouldRunPostgresTests('SynapseIntegration budgets (PostgreSQL)')) {
  describeBudgetEnforcement('PostgreSQL', () => {
    const store = createUsageStore(postgresSchemas.nextURL());
    stores.push(store);
    return store;
  });
}
