import { afterEach, describe, expect, it } from '@jest/globals';
import { ConfigError, parseConfig } from '@conduit/core';
import { PluginRejectionError } from '@conduit/core';
import { SynapseContextError } from '@conduit/synapse';
import { createSynapsePlugin } from '@conduit/synapse';
import { createTestRouter, request, testConfig } from './test-routing-setup.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function setup(...args: Parameters<typeof createTestRouter>) {
  const created = await createTestRouter(...args);
  cleanups.push(() => created.manager.cleanup());
  return created;
}

describe('Synapse plugin: routing metadata', () => {
  it('puts the header context into the routing metadata and the decision', async () => {
    const { route } = await setup(testConfig);
    const decision = await route({
      headers: {
        'x-synapse-project-id': 'web',
        'x-synapse-agent-id': 'coder-1',
        'x-synapse-agent-type': 'coding',
        'x-synapse-task-type': 'bugfix',
      },
    });
    expect(decision).toMatchObject({
      provider: 'anthropic',
      model: 'claude-sonnet-5',
      reason: 'default',
    });
    expect(decision.metadata).toMatchObject({
      projectId: 'web',
      agentId: 'coder-1',
      agentType: 'coding',
      taskType: 'bugfix',
    });
  });

  it('lets core custom rules match metadata.projectId', async () => {
    const { route } = await setup({
      ...testConfig,
      Router: {
        ...testConfig.Router,
        customRules: [
          {
            name: 'cheap-project',
            route: 'deepseek,deepseek-chat',
            conditions: [{ field: 'metadata.projectId', operator: 'eq', value: 'internal-tools' }],
          },
        ],
      },
    });
    const ruled = await route({ headers: { 'x-synapse-project-id': 'internal-tools' } });
    expect(ruled).toMatchObject({
      provider: 'deepseek',
      model: 'deepseek-chat',
      reason: 'rule:cheap-project',
    });
    const other = await route({ headers: { 'x-synapse-project-id': 'web' } });
    expect(other.reason).toBe('default');
  });

  it('keeps Claude Code’s subagent id when Synapse names the agent', async () => {
    const { route } = await setup(testConfig);
    const decision = await route({
      headers: { 'x-synapse-agent-id': 'synapse-agent' },
      metadata: { agentId: 'cc-subagent-1' },
    });
    expect(decision.metadata).toMatchObject({
      agentId: 'synapse-agent',
      claudeCodeAgentId: 'cc-subagent-1',
    });
  });

  it('ignores headers when contextHeaders is off', async () => {
    const { route } = await setup({ ...testConfig, synapse: { contextHeaders: false } });
    const decision = await route({
      headers: { 'x-synapse-project-id': 'web', 'x-synapse-agent-type': 'bad type' },
    });
    expect(decision.metadata.projectId).toBeUndefined();
  });

  it('rejects a request with a malformed header with a 400 naming it', async () => {
    const { route } = await setup(testConfig);
    const failure = route({ headers: { 'x-synapse-cost-limits': '{"daily":"five"}' } });
    await expect(failure).rejects.toThrow(
      'Header x-synapse-cost-limits is invalid (daily: must be a number of US dollars)',
    );
    const error = await failure.catch((caught: unknown) => caught);
    expect(SynapseContextError.isInstance(error)).toBe(true);
    expect(PluginRejectionError.isInstance(error)).toBe(true);
    expect((error as PluginRejectionError).statusCode).toBe(400);
  });

  it('is a no-op when synapse.enabled is false', async () => {
    const { route } = await setup({ ...testConfig, synapse: { enabled: false } });
    const decision = await route({
      headers: { 'x-synapse-agent-type': 'reasoning', 'x-synapse-project-id': 'p' },
    });
    expect(decision).toMatchObject({ reason: 'default', provider: 'anthropic' });
    expect(decision.metadata.projectId).toBeUndefined();
  });
});

describe('Synapse plugin: agent-type mapping', () => {
  it.each([
    [
      'reasoning',
      {
        provider: 'deepseek',
        model: 'deepseek-reasoner',
        reason: 'synapse-agent-type',
        scenario: 'think',
      },
    ],
    [
      'coding',
      { provider: 'anthropic', model: 'claude-sonnet-5', reason: 'default', scenario: 'default' },
    ],
    ['analysis', { provider: 'anthropic', model: 'claude-sonnet-5', reason: 'default' }],
    ['general', { provider: 'anthropic', model: 'claude-sonnet-5', reason: 'default' }],
    ['unmapped-type', { provider: 'anthropic', model: 'claude-sonnet-5', reason: 'default' }],
  ])('maps %s with the default mapping', async (agentType, expected) => {
    const { route } = await setup(testConfig);
    expect(await route({ headers: { 'x-synapse-agent-type': agentType } })).toMatchObject(expected);
  });

  it('maps to a provider,model or another slot from config.synapse.agentMapping', async () => {
    const { route } = await setup({
      ...testConfig,
      synapse: { agentMapping: { coding: 'deepseek,deepseek-chat', analysis: 'longContext' } },
    });
    expect(await route({ headers: { 'x-synapse-agent-type': 'coding' } })).toMatchObject({
      provider: 'deepseek',
      model: 'deepseek-chat',
      reason: 'synapse-agent-type',
    });
    expect(await route({ headers: { 'x-synapse-agent-type': 'analysis' } })).toMatchObject({
      provider: 'anthropic',
      model: 'claude-opus-4-8',
      reason: 'synapse-agent-type',
      scenario: 'longContext',
    });
    // A configured mapping replaces the default one as a whole: reasoning is no longer mapped.
    expect(await route({ headers: { 'x-synapse-agent-type': 'reasoning' } })).toMatchObject({
      reason: 'default',
    });
  });

  it('leaves request-driven scenarios alone (a haiku background request stays background)', async () => {
    const { route } = await setup(testConfig);
    const decision = await route({
      model: 'claude-haiku-4-5-20251001',
      headers: { 'x-synapse-agent-type': 'reasoning' },
    });
    expect(decision).toMatchObject({ reason: 'background', provider: 'ollama' });
  });

  it('leaves an explicit provider,model request alone', async () => {
    const { route } = await setup(testConfig);
    const decision = await route({
      model: 'deepseek,deepseek-chat',
      headers: {
        'x-synapse-agent-type': 'reasoning',
        'x-synapse-project-model-config': '{"model":"ollama,qwen2.5-coder:latest"}',
      },
    });
    expect(decision).toMatchObject({
      reason: 'explicit',
      provider: 'deepseek',
      model: 'deepseek-chat',
    });
  });

  it('keeps the decision when the mapped slot has no route', async () => {
    const { route } = await setup({
      ...testConfig,
      Router: { default: 'anthropic,claude-sonnet-5' },
    });
    expect(await route({ headers: { 'x-synapse-agent-type': 'reasoning' } })).toMatchObject({
      reason: 'default',
    });
  });
});

describe('Synapse plugin: project and agent model configs', () => {
  const projects = {
    ...testConfig,
    synapse: {
      projects: {
        budget: {
          Router: { default: 'deepseek,deepseek-chat', think: 'ollama,qwen2.5-coder:latest' },
        },
        pinned: { model: 'anthropic,claude-opus-4-8' },
        wide: { Router: { longContextThreshold: 1000 } },
      },
      agents: { 'fast-agent': { model: 'ollama,qwen2.5-coder:latest' } },
    },
  };

  it('replaces the global Router slots for a project', async () => {
    const { route } = await setup(projects);
    expect(await route({ headers: { 'x-synapse-project-id': 'budget' } })).toMatchObject({
      provider: 'deepseek',
      model: 'deepseek-chat',
      reason: 'synapse-project-router',
      scenario: 'default',
    });
    const thinking = await route({
      request: request('claude-sonnet-5', { thinking: { type: 'enabled', budget_tokens: 2048 } }),
      headers: { 'x-synapse-project-id': 'budget' },
    });
    expect(thinking).toMatchObject({
      provider: 'ollama',
      reason: 'synapse-project-router',
      scenario: 'think',
    });
  });

  it('resolves an agent type mapping through the project Router', async () => {
    const { route } = await setup(projects);
    const decision = await route({
      headers: { 'x-synapse-project-id': 'budget', 'x-synapse-agent-type': 'reasoning' },
    });
    expect(decision).toMatchObject({
      provider: 'ollama',
      reason: 'synapse-agent-type',
      scenario: 'think',
    });
  });

  it('forces a project model, and an agent model wins over it', async () => {
    const { route } = await setup(projects);
    expect(await route({ headers: { 'x-synapse-project-id': 'pinned' } })).toMatchObject({
      provider: 'anthropic',
      model: 'claude-opus-4-8',
      reason: 'synapse-project-model',
    });
    expect(
      await route({
        headers: { 'x-synapse-project-id': 'pinned', 'x-synapse-agent-id': 'fast-agent' },
      }),
    ).toMatchObject({ provider: 'ollama', reason: 'synapse-agent-model' });
  });

  it('applies a project long-context threshold', async () => {
    const { route } = await setup(projects);
    const decision = await route({ headers: { 'x-synapse-project-id': 'wide' }, tokenCount: 5000 });
    expect(decision).toMatchObject({
      provider: 'anthropic',
      model: 'claude-opus-4-8',
      scenario: 'longContext',
      reason: 'synapse-project-router',
    });
    const small = await route({ headers: { 'x-synapse-project-id': 'wide' }, tokenCount: 500 });
    expect(small.reason).toBe('default');
  });

  it('takes model configs from headers over the config file', async () => {
    const { route } = await setup(projects);
    const decision = await route({
      headers: {
        'x-synapse-project-id': 'budget',
        'x-synapse-project-model-config':
          '{"Router":{"default":"anthropic,claude-haiku-4-5-20251001"}}',
      },
    });
    expect(decision).toMatchObject({
      model: 'claude-haiku-4-5-20251001',
      reason: 'synapse-project-router',
    });
  });

  it('lets an attached (environment) context override headers', async () => {
    const { router, plugin } = await setup(projects);
    const body = request('claude-sonnet-5');
    plugin.attachContext(body, { projectId: 'pinned' });
    const decision = await router.route({
      request: body,
      headers: { 'x-synapse-project-id': 'budget' },
    });
    expect(decision).toMatchObject({ reason: 'synapse-project-model', model: 'claude-opus-4-8' });
    expect(decision.metadata.projectId).toBe('pinned');
  });

  it('rejects a header model config naming an unknown provider, naming the header', async () => {
    const { route } = await setup(projects);
    await expect(
      route({ headers: { 'x-synapse-agent-model-config': '{"model":"openai,gpt-5"}' } }),
    ).rejects.toThrow(
      /^Header x-synapse-agent-model-config: model "openai,gpt-5" names provider "openai", which is not configured \(configured routes: anthropic,claude-sonnet-5, .*\); expected a configured "provider,model"\.$/,
    );
  });
});

describe('Synapse plugin: configuration', () => {
  it('rejects unknown routes and keys in the synapse section with their paths', () => {
    const config = parseConfig({
      ...testConfig,
      synapse: {
        agentMapping: { coding: 'openai,gpt-5' },
        projects: { web: { Router: { think: 'deepseek,deepseek-r2' } } },
        budgetAction: 'downgrade',
        colour: 'blue',
      },
    });
    let caught: unknown;
    try {
      createSynapsePlugin({ config });
    } catch (error) {
      caught = error;
    }
    expect(ConfigError.isInstance(caught)).toBe(true);
    const message = (caught as Error).message;
    expect(message).toContain('synapse: has unknown key "colour".');
    expect(message).toContain(
      'synapse.downgradeRoute: is required when budgetAction is "downgrade"',
    );
  });

  it('names bad routes once the section itself is valid', () => {
    const config = parseConfig({
      ...testConfig,
      synapse: {
        agentMapping: { coding: 'openai,gpt-5' },
        projects: { web: { Router: { think: 'deepseek,deepseek-r2' } } },
      },
    });
    expect(() => createSynapsePlugin({ config })).toThrow(
      /synapse\.agentMapping\.coding: "openai,gpt-5" names provider "openai"[\s\S]*synapse\.projects\.web\.Router\.think: "deepseek,deepseek-r2" names model "deepseek-r2", which provider "deepseek" does not list/,
    );
  });

  it('loads from the synapse preset, whose builtin entry it replaces', async () => {
    const { route, manager } = await setup({ ...testConfig, preset: 'synapse' });
    expect(manager.getLoadedPlugins().map(plugin => [plugin.name, plugin.source])).toEqual([
      ['synapse', 'inline'],
    ]);
    expect(await route({ headers: { 'x-synapse-agent-type': 'reasoning' } })).toMatchObject({
      reason: 'synapse-agent-type',
    });
  });

  it('validates its plugin entry config through validateConfig', () => {
    const plugin = createSynapsePlugin({ config: parseConfig(testConfig) });
    expect(plugin.validateConfig?.({ budgetAction: 'explode' })).toMatch(/synapse.budgetAction/);
    expect(plugin.validateConfig?.({ budgetAction: 'reject' })).toBe(true);
  });
});
