/**
 * The seed plan's plugin system (section 2.3), used as its snippets use it: plugin objects with
 * seed-shaped hooks loaded through `loadPlugins(configs)`, `beforeRouting` chained in order,
 * `afterRouting(decision)`, `customRouting(context)`, isolation and `cleanup()`.
 */
import { describe, expect, it } from '@jest/globals';
import {
  type ConduitPlugin,
  createConduitRouter,
  type PluginConfig,
  type RoutingContext,
  type RoutingDecision,
} from '@conduit/core';
import { PluginManager } from './plugin-manager.js';
import { createRecordingLogger } from './test-helpers.js';

const providers = [
  {
    name: 'anthropic',
    api_base_url: 'https://api.anthropic.com/v1/messages',
    api_key: 'sk-a',
    models: ['claude-3-5-sonnet-20241022', 'claude-3-5-haiku-20241022'],
  },
  {
    name: 'deepseek',
    api_base_url: 'https://api.deepseek.com/chat/completions',
    api_key: 'sk-d',
    models: ['deepseek-chat', 'deepseek-reasoner'],
  },
];

const context: RoutingContext = {
  tokenCount: 1000,
  model: 'claude-3-5-sonnet-20241022',
  message: 'Hello world',
  metadata: {},
};

function seedPlugin(name: string, hooks: Partial<ConduitPlugin>, calls: string[]): ConduitPlugin {
  return {
    name,
    version: '1.0.0',
    description: `${name} test plugin`,
    async onLoad() {
      calls.push(`${name}:load`);
    },
    async onUnload() {
      calls.push(`${name}:unload`);
    },
    ...hooks,
  };
}

describe('PluginManager with seed-shaped plugins', () => {
  it('loads enabled inline plugins, skips disabled ones and cleans up', async () => {
    const calls: string[] = [];
    const manager = new PluginManager();
    const configs: PluginConfig[] = [
      { name: 'first', enabled: true, source: 'inline', module: seedPlugin('first', {}, calls) },
      { name: 'off', enabled: false, source: 'inline', module: seedPlugin('off', {}, calls) },
    ];
    await manager.loadPlugins(configs);
    expect(manager.getLoadedPlugins().map(plugin => plugin.name)).toEqual(['first']);
    await manager.cleanup();
    expect(calls).toEqual(['first:load', 'first:unload']);
    expect(manager.getLoadedPlugins()).toEqual([]);
  });

  it("chains beforeRouting: each plugin receives the previous one's context", async () => {
    const seen: string[] = [];
    const manager = new PluginManager();
    await manager.loadPlugins([
      {
        name: 'tagger',
        enabled: true,
        source: 'inline',
        module: seedPlugin(
          'tagger',
          {
            async beforeRouting(input: RoutingContext): Promise<RoutingContext> {
              return { ...input, metadata: { ...input.metadata, tier: 'gold' } };
            },
          },
          [],
        ),
      },
      {
        name: 'rewriter',
        enabled: true,
        source: 'inline',
        module: seedPlugin(
          'rewriter',
          {
            async beforeRouting(input: RoutingContext): Promise<RoutingContext> {
              seen.push(String(input.metadata?.tier));
              return { ...input, message: `${input.message} (reviewed)` };
            },
          },
          [],
        ),
      },
    ]);
    const processed = await manager.beforeRouting(context);
    expect(seen).toEqual(['gold']);
    expect(processed).toMatchObject({
      tokenCount: 1000,
      model: 'claude-3-5-sonnet-20241022',
      message: 'Hello world (reviewed)',
      metadata: { tier: 'gold' },
    });
    // The caller's context is not mutated.
    expect(context.metadata).toEqual({});
  });

  it('chains afterRouting called with the decision alone', async () => {
    const manager = new PluginManager();
    await manager.loadPlugins([
      {
        name: 'annotate',
        enabled: true,
        source: 'inline',
        module: seedPlugin(
          'annotate',
          {
            async afterRouting(decision: RoutingDecision): Promise<RoutingDecision> {
              return { ...decision, metadata: { ...decision.metadata, annotated: true } };
            },
          },
          [],
        ),
      },
    ]);
    const decision = await createConduitRouter({
      Providers: providers,
      Router: { default: 'anthropic,claude-3-5-sonnet-20241022' },
    }).route(context);
    const final = await manager.afterRouting(decision);
    expect(final).toMatchObject({
      provider: 'anthropic',
      model: 'claude-3-5-sonnet-20241022',
      metadata: { annotated: true },
    });
  });

  it('customRouting answers with the first plugin decision, or null', async () => {
    const manager = new PluginManager();
    expect(await manager.customRouting(context)).toBeNull();
    await manager.loadPlugins([
      {
        name: 'pass',
        enabled: true,
        source: 'inline',
        module: seedPlugin('pass', { customRouter: async () => null }, []),
      },
      {
        name: 'reasoner',
        enabled: true,
        source: 'inline',
        module: seedPlugin(
          'reasoner',
          {
            async customRouter(input: RoutingContext) {
              return input.message?.includes('prove')
                ? {
                    provider: 'deepseek',
                    model: 'deepseek-reasoner',
                    reason: 'math',
                    confidence: 0.8,
                    metadata: { by: 'reasoner' },
                  }
                : null;
            },
          },
          [],
        ),
      },
    ]);
    expect(await manager.customRouting(context)).toBeNull();
    await expect(manager.customRouting({ ...context, message: 'prove it' })).resolves.toMatchObject(
      {
        provider: 'deepseek',
        model: 'deepseek-reasoner',
        reason: 'math',
        confidence: 0.8,
        metadata: { by: 'reasoner', plugin: 'reasoner' },
      },
    );
  });

  it('isolates a throwing plugin: it is reported, the chain and routing carry on', async () => {
    const logger = createRecordingLogger();
    const manager = new PluginManager({ logger });
    await manager.loadPlugins([
      {
        name: 'broken',
        enabled: true,
        source: 'inline',
        module: seedPlugin(
          'broken',
          {
            async beforeRouting(): Promise<RoutingContext> {
              throw new Error('boom');
            },
            async customRouter(): Promise<RoutingDecision | null> {
              throw new Error('router boom');
            },
          },
          [],
        ),
      },
      {
        name: 'healthy',
        enabled: true,
        source: 'inline',
        module: seedPlugin(
          'healthy',
          {
            async beforeRouting(input: RoutingContext): Promise<RoutingContext> {
              return { ...input, metadata: { ...input.metadata, passed: true } };
            },
          },
          [],
        ),
      },
      // A plugin that fails to load is reported and skipped too.
      { name: 'missing-file', enabled: true, source: 'file', path: './does-not-exist.js' },
    ]);
    const processed = await manager.beforeRouting(context);
    expect(processed.metadata).toEqual({ passed: true });
    expect(await manager.customRouting(context)).toBeNull();
    expect(manager.getLoadErrors().map(failure => failure.name)).toEqual(['missing-file']);
    const warnings = logger.messages('warn');
    expect(warnings.some(message => message.includes('"broken" beforeRouting failed: boom'))).toBe(
      true,
    );
    expect(warnings.some(message => message.includes('"broken" customRouter failed'))).toBe(true);
  });

  it('drives the router: a plugin changing model or message re-routes the seed context', async () => {
    const manager = new PluginManager();
    await manager.loadPlugins([
      {
        name: 'downgrade',
        enabled: true,
        source: 'inline',
        module: seedPlugin(
          'downgrade',
          {
            async beforeRouting(input: RoutingContext): Promise<RoutingContext> {
              return input.metadata?.cheap
                ? { ...input, model: 'claude-3-5-haiku-20241022' }
                : input;
            },
          },
          [],
        ),
      },
    ]);
    const router = createConduitRouter(
      {
        Providers: providers,
        Router: {
          default: 'anthropic,claude-3-5-sonnet-20241022',
          background: 'deepseek,deepseek-chat',
          customRules: [
            {
              id: 'proofs',
              name: 'proofs',
              conditions: [{ field: 'message', operator: 'contains', value: 'prove' }],
              target: 'deepseek,deepseek-reasoner',
              priority: 1,
              enabled: true,
            },
          ],
        },
      },
      { hooks: manager },
    );
    await expect(router.route({ ...context, metadata: { cheap: true } })).resolves.toMatchObject({
      provider: 'deepseek',
      model: 'deepseek-chat',
      reason: 'background',
    });
    await expect(router.route({ ...context, message: 'prove it' })).resolves.toMatchObject({
      model: 'deepseek-reasoner',
      reason: 'rule:proofs',
    });
  });
});
