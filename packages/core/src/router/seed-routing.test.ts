/**
 * The seed plan's routing API (sections 1.3 and 2.2), used as its snippets use it: seed-shaped
 * contexts (`tokenCount`, `model`, `message`, `metadata`), seed-shaped rules (`id`, `name`,
 * `conditions`, `target`, `priority`, `enabled`) and the config types as users write them.
 */
import { describe, expect, it } from '@jest/globals';
import type {
  ConduitConfig,
  ProviderConfig,
  RouterConfig,
  RoutingContext,
  RoutingRule,
  RuleCondition,
  ServerConfig,
} from '../index.js';
import { ConduitRouter, ConfigError, createConduitRouter, parseConfig } from '../index.js';
import { TokenCounter } from '../token-counter/token-counter.js';

const providers: ProviderConfig[] = [
  {
    name: 'anthropic',
    api_base_url: 'https://api.anthropic.com/v1/messages',
    api_key: 'sk-a',
    models: ['claude-3-5-sonnet-20241022', 'claude-3-5-haiku-20241022', 'claude-opus-4'],
  },
  {
    name: 'deepseek',
    api_base_url: 'https://api.deepseek.com/chat/completions',
    api_key: 'sk-d',
    models: ['deepseek-chat', 'deepseek-reasoner'],
  },
];

const router: RouterConfig = {
  default: 'anthropic,claude-3-5-sonnet-20241022',
  longContext: 'deepseek,deepseek-chat',
  background: 'anthropic,claude-3-5-haiku-20241022',
};

function seedContext(overrides: Partial<RoutingContext> = {}): RoutingContext {
  return {
    tokenCount: 1000,
    model: 'claude-3-5-sonnet-20241022',
    message: 'Test message',
    metadata: {},
    ...overrides,
  };
}

function rule(overrides: Partial<RoutingRule> & Pick<RoutingRule, 'conditions'>): RoutingRule {
  return {
    id: 'rule-1',
    name: 'rule-1',
    target: 'deepseek,deepseek-reasoner',
    priority: 1,
    enabled: true,
    ...overrides,
  };
}

function routerWith(customRules: RoutingRule[]) {
  const config: ConduitConfig = { Providers: providers, Router: { ...router, customRules } };
  return createConduitRouter(config);
}

describe('seed-shaped routing contexts', () => {
  it('routes the plan unit test context to the default with the plan decision fields', async () => {
    const decision = await routerWith([]).route(seedContext());
    expect(decision).toMatchObject({
      model: 'claude-3-5-sonnet-20241022',
      provider: 'anthropic',
      reason: 'default',
      metadata: {},
    });
    expect(typeof decision.confidence).toBe('number');
    expect(decision.confidence).toBeGreaterThan(0);
    expect(decision.confidence).toBeLessThanOrEqual(1);
  });

  it('routes by the given tokenCount above Router.longContextThreshold (default 60000)', async () => {
    const conduit = routerWith([]);
    await expect(conduit.route(seedContext({ tokenCount: 60001 }))).resolves.toMatchObject({
      provider: 'deepseek',
      model: 'deepseek-chat',
      reason: 'longContext',
      tokenCount: 60001,
    });
    await expect(conduit.route(seedContext({ tokenCount: 60000 }))).resolves.toMatchObject({
      reason: 'default',
    });
  });

  it('honours a custom longContextThreshold', async () => {
    const conduit = createConduitRouter({
      Providers: providers,
      Router: { ...router, longContextThreshold: 500 },
    });
    await expect(conduit.route(seedContext({ tokenCount: 501 }))).resolves.toMatchObject({
      reason: 'longContext',
    });
  });

  it('counts the message when no tokenCount is given', async () => {
    const counter = new TokenCounter();
    const message = 'word '.repeat(300);
    const decision = await routerWith([]).route({ model: 'claude-3-5-sonnet-20241022', message });
    expect(decision.tokenCount).toBe(await counter.count(message));
    expect(decision.tokenCount).toBeGreaterThan(250);
  });

  it('routes an explicit provider,model', async () => {
    await expect(
      routerWith([]).route(seedContext({ model: 'deepseek,deepseek-reasoner' })),
    ).resolves.toMatchObject({
      provider: 'deepseek',
      model: 'deepseek-reasoner',
      reason: 'explicit',
    });
  });

  it('routes a Claude Haiku model to Router.background', async () => {
    await expect(
      routerWith([]).route(seedContext({ model: 'claude-3-5-haiku-20241022' })),
    ).resolves.toMatchObject({
      provider: 'anthropic',
      model: 'claude-3-5-haiku-20241022',
      reason: 'background',
    });
  });

  it('keeps the Anthropic request form working beside the seed form', async () => {
    const decision = await routerWith([]).route({
      request: {
        model: 'claude-3-5-haiku-20241022',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      },
    });
    expect(decision.reason).toBe('background');
  });

  it('accepts a config as written in new ConduitRouter(config), and updateConfig(config)', async () => {
    const conduit = new ConduitRouter({
      Providers: providers,
      Router: { default: router.default },
    });
    await conduit.initialize();
    await expect(conduit.route(seedContext())).resolves.toMatchObject({ reason: 'default' });
    await conduit.updateConfig({
      Providers: providers,
      Router: { default: 'deepseek,deepseek-chat' },
    });
    await expect(conduit.route(seedContext())).resolves.toMatchObject({ provider: 'deepseek' });
  });
});

describe('seed-shaped custom rules on seed contexts', () => {
  it('a matching custom rule beats long context', async () => {
    const conduit = routerWith([
      rule({ conditions: [{ field: 'metadata.projectId', operator: 'eq', value: 'p1' }] }),
    ]);
    await expect(
      conduit.route(seedContext({ tokenCount: 90000, metadata: { projectId: 'p1' } })),
    ).resolves.toMatchObject({
      provider: 'deepseek',
      model: 'deepseek-reasoner',
      reason: 'rule:rule-1',
      confidence: 1,
      metadata: { projectId: 'p1', ruleId: 'rule-1' },
    });
    await expect(
      conduit.route(seedContext({ tokenCount: 90000, metadata: { projectId: 'p2' } })),
    ).resolves.toMatchObject({ reason: 'longContext' });
  });

  it('skips disabled rules', async () => {
    const conduit = routerWith([rule({ conditions: [], enabled: false })]);
    await expect(conduit.route(seedContext())).resolves.toMatchObject({ reason: 'default' });
  });

  it('evaluates rules by priority, highest first, whatever their order', async () => {
    const conduit = routerWith([
      rule({
        id: 'low',
        name: 'low',
        conditions: [],
        priority: 1,
        target: 'deepseek,deepseek-chat',
      }),
      rule({
        id: 'high',
        name: 'high',
        conditions: [],
        priority: 10,
        target: 'anthropic,claude-opus-4',
      }),
    ]);
    await expect(conduit.route(seedContext())).resolves.toMatchObject({
      model: 'claude-opus-4',
      reason: 'rule:high',
    });
  });

  const cases: Array<{
    condition: RuleCondition;
    matching: Partial<RoutingContext>;
    other: Partial<RoutingContext>;
  }> = [
    {
      condition: { field: 'tokenCount', operator: 'gt', value: 5000 },
      matching: { tokenCount: 5001 },
      other: { tokenCount: 5000 },
    },
    {
      condition: { field: 'tokenCount', operator: 'lt', value: 100 },
      matching: { tokenCount: 99 },
      other: { tokenCount: 100 },
    },
    {
      condition: { field: 'tokenCount', operator: 'eq', value: 42 },
      matching: { tokenCount: 42 },
      other: { tokenCount: 43 },
    },
    {
      condition: { field: 'tokenCount', operator: 'matches', value: '^12\\d$' },
      matching: { tokenCount: 123 },
      other: { tokenCount: 1234 },
    },
    {
      condition: { field: 'message', operator: 'contains', value: 'refactor' },
      matching: { message: 'please refactor this' },
      other: { message: 'please explain this' },
    },
    {
      condition: { field: 'message', operator: 'matches', value: '/^fix(es)? /i' },
      matching: { message: 'Fixes the bug' },
      other: { message: 'a fix later' },
    },
    {
      condition: { field: 'message', operator: 'eq', value: 'ping' },
      matching: { message: 'ping' },
      other: { message: 'ping!' },
    },
    {
      condition: { field: 'message', operator: 'gt', value: 10 },
      matching: { message: '11' },
      other: { message: 'ten' },
    },
    {
      condition: { field: 'message', operator: 'lt', value: 10 },
      matching: { message: '9' },
      other: { message: '10' },
    },
    {
      condition: { field: 'model', operator: 'eq', value: 'claude-opus-4' },
      matching: { model: 'claude-opus-4' },
      other: { model: 'claude-3-5-sonnet-20241022' },
    },
    {
      condition: { field: 'model', operator: 'contains', value: 'opus' },
      matching: { model: 'claude-opus-4' },
      other: { model: 'claude-3-5-sonnet-20241022' },
    },
    {
      condition: { field: 'model', operator: 'matches', value: '^claude-opus' },
      matching: { model: 'claude-opus-4' },
      other: { model: 'claude-3-5-sonnet-20241022' },
    },
    {
      condition: { field: 'model', operator: 'gt', value: 3 },
      matching: { model: '4' },
      other: { model: '3' },
    },
    {
      condition: { field: 'model', operator: 'lt', value: 3 },
      matching: { model: '2' },
      other: { model: '3' },
    },
    {
      condition: { field: 'metadata.agentType', operator: 'eq', value: 'reasoning' },
      matching: { metadata: { agentType: 'reasoning' } },
      other: { metadata: { agentType: 'coding' } },
    },
    {
      condition: { field: 'metadata.tags', operator: 'contains', value: 'urgent' },
      matching: { metadata: { tags: ['urgent', 'x'] } },
      other: { metadata: { tags: ['x'] } },
    },
    {
      condition: { field: 'metadata.agentId', operator: 'matches', value: '^coder-\\d+$' },
      matching: { metadata: { agentId: 'coder-7' } },
      other: { metadata: { agentId: 'reviewer-7' } },
    },
    {
      condition: { field: 'metadata.budget', operator: 'gt', value: 10 },
      matching: { metadata: { budget: 11 } },
      other: { metadata: { budget: 10 } },
    },
    {
      condition: { field: 'metadata.budget', operator: 'lt', value: 10 },
      matching: { metadata: { budget: 9 } },
      other: { metadata: {} },
    },
    {
      condition: { field: 'metadata.limits.daily', operator: 'eq', value: 5 },
      matching: { metadata: { limits: { daily: 5 } } },
      other: { metadata: { limits: { daily: 6 } } },
    },
  ];

  it.each(cases)(
    '$condition.field $condition.operator $condition.value',
    async ({ condition, matching, other }) => {
      const conduit = routerWith([rule({ conditions: [condition] })]);
      await expect(conduit.route(seedContext(matching))).resolves.toMatchObject({
        reason: 'rule:rule-1',
        model: 'deepseek-reasoner',
      });
      await expect(conduit.route(seedContext(other))).resolves.not.toMatchObject({
        reason: 'rule:rule-1',
      });
    },
  );

  it('requires every condition of a rule to hold', async () => {
    const conduit = routerWith([
      rule({
        conditions: [
          { field: 'tokenCount', operator: 'gt', value: 100 },
          { field: 'metadata.projectId', operator: 'eq', value: 'p1' },
        ],
      }),
    ]);
    await expect(
      conduit.route(seedContext({ tokenCount: 200, metadata: { projectId: 'p1' } })),
    ).resolves.toMatchObject({ reason: 'rule:rule-1' });
    await expect(
      conduit.route(seedContext({ tokenCount: 50, metadata: { projectId: 'p1' } })),
    ).resolves.toMatchObject({ reason: 'default' });
  });
});

describe('seed-shaped config', () => {
  it('accepts route or target, and id in place of name', () => {
    const config = parseConfig({
      Providers: providers,
      Router: {
        default: router.default,
        customRules: [
          { id: 'by-id', conditions: [], target: 'deepseek,deepseek-chat' },
          { name: 'by-route', conditions: [], route: 'deepseek,deepseek-chat' },
        ],
      },
    });
    expect(config.Router.customRules.map(entry => [entry.name, entry.route])).toEqual([
      ['by-id', 'deepseek,deepseek-chat'],
      ['by-route', 'deepseek,deepseek-chat'],
    ]);
  });

  it('names the key and the fix when a rule has neither route nor target, or both disagree', () => {
    const parse = (customRules: unknown[]) => () =>
      parseConfig({ Providers: providers, Router: { default: router.default, customRules } });
    expect(parse([{ name: 'r', conditions: [] }])).toThrow(ConfigError);
    expect(parse([{ name: 'r', conditions: [] }])).toThrow(
      /Router\.customRules\[0\]\.route.*target/s,
    );
    expect(
      parse([
        {
          name: 'r',
          conditions: [],
          route: 'deepseek,deepseek-chat',
          target: 'anthropic,claude-opus-4',
        },
      ]),
    ).toThrow(/Router\.customRules\[0\]\.target.*disagrees/s);
  });

  it('checks a target against the providers like a route', () => {
    expect(() =>
      parseConfig({
        Providers: providers,
        Router: {
          default: router.default,
          customRules: [{ id: 'r', conditions: [], target: 'nope,x' }],
        },
      }),
    ).toThrow(/customRules\[0\]\.route/);
  });

  it('accepts healthCheck and gracefulShutdown as booleans or objects', () => {
    const server: ServerConfig = {
      port: 3456,
      healthCheck: true,
      gracefulShutdown: false,
      timeout: 5000,
    };
    const parsed = parseConfig({ Providers: providers, Router: router, server });
    expect(parsed.server.healthCheck).toEqual({ enabled: true, intervalMs: 30000 });
    expect(parsed.server.gracefulShutdown).toEqual({ enabled: false, timeoutMs: 30000 });
    expect(parsed.server.timeout).toBe(5000);
    const objects = parseConfig({
      Providers: providers,
      Router: router,
      server: { healthCheck: { intervalMs: 1000 }, gracefulShutdown: { timeoutMs: 10 } },
    });
    expect(objects.server.healthCheck).toEqual({ enabled: true, intervalMs: 1000 });
    expect(objects.server.gracefulShutdown).toEqual({ enabled: true, timeoutMs: 10 });
    expect(() =>
      parseConfig({ Providers: providers, Router: router, server: { healthCheck: 'yes' } }),
    ).toThrow(/server\.healthCheck/);
  });
});
