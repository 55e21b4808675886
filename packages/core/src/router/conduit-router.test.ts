import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../config/parse-config.js';
import { ConfigError } from '../errors/config-error.js';
import { NoRouteError } from '../errors/no-route-error.js';
import { readClaudeCodeFixture } from '../test-claude-code-fixtures.js';
import { TokenCounter } from '../token-counter/token-counter.js';
import { ConduitRouter, createConduitRouter } from './conduit-router.js';
import { baseRequest, createTestHooks, routerTestConfig } from './test-router-setup.js';

describe('ConduitRouter seed example', () => {
  it('routes a 1000-token message to Router.default', async () => {
    const router = createConduitRouter({
      Providers: [
        {
          name: 'anthropic',
          api_base_url: 'https://api.anthropic.com/v1/messages',
          api_key: 'sk-test',
          models: ['claude-3-5-sonnet-20241022'],
        },
      ],
      Router: { default: 'anthropic,claude-3-5-sonnet-20241022' },
    });
    await router.initialize();
    const decision = await router.route({
      request: {
        model: 'claude-3-5-sonnet-20241022',
        max_tokens: 1024,
        messages: [{ role: 'user', content: `hello${' hello'.repeat(999)}` }],
      },
    });
    expect(decision).toMatchObject({
      provider: 'anthropic',
      model: 'claude-3-5-sonnet-20241022',
      reason: 'default',
      scenario: 'default',
      confidence: 0.5,
    });
    expect(decision.tokenCount).toBe(1000);
  });
});

describe('ConduitRouter behaviour', () => {
  const router = () => createConduitRouter(routerTestConfig);
  const allChoices = [
    'anthropic,claude-sonnet-4',
    'anthropic,claude-3-5-haiku-20241022',
    'deepseek,deepseek-chat',
    'deepseek,deepseek-reasoner',
    'ollama,qwen2.5-coder:latest',
    'gemini,gemini-2.5-flash',
    'gemini,gemini-2.5-pro',
    'openrouter,google/gemini-2.5-pro',
    'openrouter,moonshotai/kimi-k2',
    'openrouter,anthropic/claude-sonnet-4',
  ];

  it.each([
    [{ type: 'enabled', budget_tokens: 2048 }, false, 'think'],
    [{ type: 'adaptive' }, false, 'default'],
    [{ type: 'adaptive' }, true, 'think'],
    [{ type: 'disabled' }, true, 'default'],
    [undefined, true, 'default'],
  ])('thinking %j with thinkOnAdaptive=%s → %s', async (thinking, thinkOnAdaptive, reason) => {
    const configured = createConduitRouter({
      ...routerTestConfig,
      Router: { ...routerTestConfig.Router, thinkOnAdaptive },
    });
    expect((await configured.route({ request: { ...baseRequest(), thinking } })).reason).toBe(
      reason,
    );
  });

  it('longContext uses the configured threshold and fires only above it', async () => {
    const configured = createConduitRouter({
      ...routerTestConfig,
      Router: { ...routerTestConfig.Router, longContextThreshold: 1000 },
    });
    expect((await configured.route({ request: baseRequest(), tokenCount: 1000 })).reason).toBe(
      'default',
    );
    expect((await configured.route({ request: baseRequest(), tokenCount: 1001 })).reason).toBe(
      'longContext',
    );
    const long = {
      ...baseRequest(),
      messages: [{ role: 'user', content: `word${' word'.repeat(1500)}` }],
    };
    const decision = await configured.route({ request: long });
    expect(decision).toMatchObject({ reason: 'longContext', tokenCount: 1501 });
  });

  it('scenarios need their Router slot: background/webSearch/image without one go to default', async () => {
    const bare = createConduitRouter({
      Providers: routerTestConfig.Providers,
      Router: { default: 'deepseek,deepseek-chat' },
    });
    const request = {
      ...baseRequest(),
      model: 'claude-3-5-haiku-20241022',
      thinking: { type: 'enabled' },
      tools: [{ type: 'web_search_20250305', name: 'web_search' }],
      messages: [
        {
          role: 'user',
          content: [{ type: 'image', source: { type: 'url', url: 'https://x/y.png' } }],
        },
      ],
    };
    expect((await bare.route({ request, tokenCount: 10_000_000 })).reason).toBe('default');
  });

  it('image: detects images inside a tool_result of the last user message, not in earlier ones', async () => {
    const imageInToolResult = {
      ...baseRequest(),
      messages: [
        { role: 'user', content: 'read the screenshot' },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 't1', name: 'Read', input: { file_path: '/a.png' } }],
        },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't1',
              content: [
                {
                  type: 'image',
                  source: { type: 'base64', media_type: 'image/png', data: 'AA==' },
                },
              ],
            },
          ],
        },
      ],
    };
    expect((await router().route({ request: imageInToolResult })).reason).toBe('image');
    const imageEarlier = {
      ...baseRequest(),
      messages: [
        {
          role: 'user',
          content: [{ type: 'image', source: { type: 'url', url: 'https://x/y.png' } }],
        },
        { role: 'assistant', content: 'a cat' },
        { role: 'user', content: 'thanks' },
      ],
    };
    expect((await router().route({ request: imageEarlier })).reason).toBe('default');
  });

  it.each([
    [
      'system[1]',
      (tag: string) => [
        { type: 'text', text: 'billing' },
        { type: 'text', text: `${tag}You are an explorer.` },
      ],
    ],
    ['system[0]', (tag: string) => [{ type: 'text', text: `${tag}You are an explorer.` }]],
    ['a string system', (tag: string) => `${tag}You are an explorer.`],
  ])('subagent tag in %s is honoured and removed from the prompt', async (_where, build) => {
    const request = {
      ...baseRequest(),
      system: build('<CCR-SUBAGENT-MODEL>deepseek,deepseek-reasoner</CCR-SUBAGENT-MODEL>'),
    };
    const decision = await router().route({ request });
    expect(decision).toMatchObject({
      provider: 'deepseek',
      model: 'deepseek-reasoner',
      reason: 'subagent',
    });
    expect(JSON.stringify(request.system)).not.toContain('CCR-SUBAGENT-MODEL');
    expect(JSON.stringify(request.system)).toContain('You are an explorer.');
  });

  it('ignores a subagent tag that is not at the start of a block', async () => {
    const request = {
      ...baseRequest(),
      system: [
        { type: 'text', text: 'a' },
        {
          type: 'text',
          text: 'x <CCR-SUBAGENT-MODEL>deepseek,deepseek-reasoner</CCR-SUBAGENT-MODEL>',
        },
      ],
    };
    expect((await router().route({ request })).reason).toBe('default');
  });

  it('explicit provider,model without models list passes the model through; whitespace is trimmed', async () => {
    const passthrough = createConduitRouter({
      Providers: [{ name: 'Anthropic', api_base_url: 'https://api.anthropic.com/v1/messages' }],
      Router: { default: 'anthropic,claude-sonnet-4' },
    });
    expect(
      await passthrough.route({
        request: { ...baseRequest(), model: 'anthropic, claude-opus-4-8' },
      }),
    ).toMatchObject({
      provider: 'Anthropic',
      model: 'claude-opus-4-8',
      reason: 'explicit',
    });
  });

  it('errors: no providers, with the config location and an example', async () => {
    const empty = createConduitRouter({}, { configPath: '/home/me/.conduit/config.json' });
    const error = await empty.route({ request: baseRequest() }).catch((caught: unknown) => caught);
    expect(NoRouteError.isInstance(error)).toBe(true);
    expect((error as NoRouteError).kind).toBe('no-providers');
    expect((error as NoRouteError).message).toContain('/home/me/.conduit/config.json');
    expect((error as NoRouteError).message).toContain('"Providers": [{ "name": "deepseek"');
    const withoutPath = await createConduitRouter({})
      .route({ request: baseRequest() })
      .catch((caught: unknown) => caught);
    expect((withoutPath as Error).message).toContain(
      '$CONDUIT_HOME/config.json (default ~/.conduit/config.json)',
    );
  });

  it('errors: no Router.default', async () => {
    const noDefault = createConduitRouter({
      Providers: routerTestConfig.Providers,
      Router: { think: 'deepseek,deepseek-reasoner' },
    });
    const error = (await noDefault
      .route({ request: baseRequest() })
      .catch((caught: unknown) => caught)) as NoRouteError;
    expect(error.kind).toBe('no-default');
    expect(error.choices).toEqual(allChoices);
    expect(error.message).toContain('Router.default is not set');
    // A request matching a configured scenario still routes.
    expect(
      (await noDefault.route({ request: { ...baseRequest(), thinking: { type: 'enabled' } } }))
        .reason,
    ).toBe('think');
  });

  it.each([
    [
      'mistral,mistral-large',
      'unknown-provider',
      'names provider "mistral", which is not configured',
    ],
    [
      'deepseek,deepseek-coder',
      'unknown-model',
      'names model "deepseek-coder", which is not in the models of provider "deepseek"',
    ],
  ])('errors: explicit %s → %s with every choice', async (model, kind, text) => {
    const error = (await router()
      .route({ request: { ...baseRequest(), model } })
      .catch((caught: unknown) => caught)) as NoRouteError;
    expect(NoRouteError.isInstance(error)).toBe(true);
    expect(error.kind).toBe(kind);
    expect(error.message).toContain(`The request model "${model}" ${text}`);
    expect(error.choices).toEqual(allChoices);
  });

  it('errors: a plugin or subagent tag naming something unknown is a NoRouteError, not a crash', async () => {
    const pluginRouter = createConduitRouter(routerTestConfig, {
      hooks: createTestHooks('gpt-4o'),
    });
    const pluginError = (await pluginRouter
      .route({ request: baseRequest(), metadata: { usePlugin: true } })
      .catch((caught: unknown) => caught)) as NoRouteError;
    expect(pluginError.kind).toBe('unknown-provider');
    expect(pluginError.message).toContain(
      'Plugin "test-plugin" "gpt-4o" is not a "provider,model" route',
    );
    const tagged = {
      ...baseRequest(),
      system: '<CCR-SUBAGENT-MODEL>nope,x</CCR-SUBAGENT-MODEL>hi',
    };
    expect(
      (
        (await router()
          .route({ request: tagged })
          .catch((caught: unknown) => caught)) as NoRouteError
      ).kind,
    ).toBe('unknown-provider');
  });

  it.each([
    ['no system, string content', { model: 'm', messages: [{ role: 'user', content: 'hi' }] }],
    ['empty messages', { model: 'm', messages: [] }],
    ['no messages, no model', {}],
    [
      'messages not an array',
      { model: 5, messages: 'hi', system: 42, tools: 'x', thinking: 'yes' },
    ],
    [
      'null blocks',
      {
        model: 'm',
        messages: [null, { role: 'user', content: [null, 1, 'x'] }],
        system: [null, 1],
      },
    ],
  ])('never crashes on weird input: %s', async (_name, request) => {
    const decision = await router().route({ request: request as never });
    expect(decision).toMatchObject({
      provider: 'deepseek',
      model: 'deepseek-chat',
      reason: 'default',
    });
    expect(typeof decision.tokenCount).toBe('number');
  });

  it('survives a missing request entirely', async () => {
    expect((await router().route({} as never)).reason).toBe('default');
    expect((await router().route(undefined as never)).reason).toBe('default');
  });

  it.each([
    [
      'context.sessionId',
      { sessionId: 'from-context', headers: { 'x-claude-code-session-id': 'h' } },
      {},
      'from-context',
    ],
    [
      'the session header',
      { headers: { 'x-claude-code-session-id': 'from-header' } },
      { user_id: '{"session_id":"json"}' },
      'from-header',
    ],
    [
      'a JSON metadata.user_id',
      {},
      { user_id: '{"device_id":"d","account_uuid":"","session_id":"f2cd828c"}' },
      'f2cd828c',
    ],
    [
      'a legacy metadata.user_id',
      {},
      { user_id: 'user_abc_account_def_session_1234-5678' },
      '1234-5678',
    ],
    ['no source', {}, { user_id: 'user_abc' }, undefined],
    ['malformed JSON', {}, { user_id: '{"session_id":' }, undefined],
  ])('sessionId from %s', async (_name, extra, metadata, expected) => {
    const decision = await router().route({
      request: { ...baseRequest(), metadata },
      metadata: { projectId: 'p1' },
      ...extra,
    });
    expect(decision.metadata).toEqual(
      expected === undefined ? { projectId: 'p1' } : { projectId: 'p1', sessionId: expected },
    );
  });

  it.each([
    ['default', {}, ['openrouter,anthropic/claude-sonnet-4']],
    ['think', { thinking: { type: 'enabled' } }, ['openrouter,moonshotai/kimi-k2']],
    ['background', { model: 'claude-3-5-haiku-20241022' }, ['deepseek,deepseek-chat']],
    ['webSearch', { tools: [{ type: 'web_search_20250305', name: 'web_search' }] }, []],
    [
      'explicit (uses default)',
      { model: 'deepseek,deepseek-reasoner' },
      ['openrouter,anthropic/claude-sonnet-4'],
    ],
  ])('fallbacks of %s', async (_name, change, fallbacks) => {
    expect((await router().route({ request: { ...baseRequest(), ...change } })).fallbacks).toEqual(
      fallbacks,
    );
  });

  it('calls hooks in order; beforeRouting may add metadata rules see; afterRouting may change the decision', async () => {
    const hooks = createTestHooks();
    hooks.beforeRouting = async context => {
      hooks.calls.push('beforeRouting');
      return { ...context, metadata: { ...context.metadata, agentType: 'coding' } };
    };
    hooks.afterRouting = async decision => {
      hooks.calls.push('afterRouting');
      return { ...decision, metadata: { ...decision.metadata, annotated: true } };
    };
    const decision = await createConduitRouter(routerTestConfig, { hooks }).route({
      request: baseRequest(),
    });
    expect(hooks.calls).toEqual(['beforeRouting', 'customRoute', 'afterRouting']);
    expect(decision).toMatchObject({
      reason: 'rule:coding-agents',
      metadata: { agentType: 'coding', annotated: true },
    });
  });

  it('a plugin may return a partial decision with its own reason, confidence and metadata', async () => {
    const hooks = createTestHooks({
      provider: 'GEMINI',
      model: 'Gemini-2.5-Flash',
      reason: 'cheap',
      confidence: 0.7,
      metadata: { tier: 'low' },
    });
    const decision = await createConduitRouter(routerTestConfig, { hooks }).route({
      request: baseRequest(),
      metadata: { usePlugin: true },
    });
    expect(decision).toMatchObject({
      provider: 'gemini',
      model: 'gemini-2.5-flash',
      reason: 'cheap',
      confidence: 0.7,
      metadata: { tier: 'low', usePlugin: true },
    });
  });

  it('names the CCR custom router plugin "custom-router"', async () => {
    const hooks = createTestHooks();
    hooks.customRoute = async () => ({
      pluginName: 'custom-router',
      result: 'deepseek,deepseek-reasoner',
    });
    expect(
      (await createConduitRouter(routerTestConfig, { hooks }).route({ request: baseRequest() }))
        .reason,
    ).toBe('custom-router');
  });

  it('explain lists every rule in order with why it fired or not', async () => {
    const explanation = await router().explain({
      request: { ...baseRequest(), thinking: { type: 'adaptive' } },
      tokenCount: 120,
    });
    expect(explanation.decision?.reason).toBe('default');
    expect(explanation.steps.map(step => [step.rule, step.fired])).toEqual([
      ['plugins', false],
      ['rule:coding-agents', false],
      ['explicit', false],
      ['longContext', false],
      ['subagent', false],
      ['background', false],
      ['webSearch', false],
      ['think', false],
      ['image', false],
      ['default', true],
    ]);
    const byRule = Object.fromEntries(explanation.steps.map(step => [step.rule, step.detail]));
    expect(byRule.longContext).toBe('tokenCount 120 <= threshold 60000');
    expect(byRule.think).toBe('thinking is "adaptive" and Router.thinkOnAdaptive is off');
    expect(byRule['rule:coding-agents']).toContain(
      'metadata.agentType eq "coding" (actual unset): no',
    );
  });

  it('skips idle hooks (nothing to run) and reports the plugins step as with hooks that answer nothing', async () => {
    let idle = true;
    const hooks = Object.assign(createTestHooks(), { isIdle: () => idle });
    const idleRouter = createConduitRouter(routerTestConfig, { hooks });
    const decision = await idleRouter.route({ request: baseRequest() });
    expect(decision.reason).toBe('default');
    expect(hooks.calls).toEqual([]);
    const explanation = await idleRouter.explain({ request: baseRequest() });
    expect(explanation.steps[0]).toEqual({
      rule: 'plugins',
      fired: false,
      detail: 'no plugin customRouter answered',
    });
    idle = false;
    await idleRouter.route({ request: baseRequest() });
    expect(hooks.calls).toEqual(['beforeRouting', 'customRoute', 'afterRouting']);
  });

  it('explain marks rules after the winner as not evaluated, and returns errors instead of throwing', async () => {
    const fired = await router().explain({
      request: { ...baseRequest(), model: 'deepseek,deepseek-chat' },
    });
    expect(fired.steps.find(step => step.rule === 'explicit')?.fired).toBe(true);
    expect(fired.steps.at(-1)).toEqual({
      rule: 'default',
      fired: false,
      detail: 'not evaluated: explicit fired first',
    });
    const failed = await router().explain({ request: { ...baseRequest(), model: 'nope,x' } });
    expect(failed.decision).toBeNull();
    expect(NoRouteError.isInstance(failed.error)).toBe(true);
  });

  it('updateConfig switches routes; a config that cannot work throws and keeps the old one', async () => {
    const instance = router();
    const next = parseConfig({
      ...routerTestConfig,
      Router: { default: 'ollama,qwen2.5-coder:latest' },
    });
    instance.updateConfig(next);
    expect(instance.getConfig()).toBe(next);
    expect((await instance.route({ request: baseRequest() })).provider).toBe('ollama');
    const broken = { ...next, Router: { ...next.Router, default: 'nope,x' } };
    expect(() => instance.updateConfig(broken)).toThrow(ConfigError);
    expect(instance.getConfig()).toBe(next);
    expect(() => new ConduitRouter(broken)).toThrow(/names provider "nope"/);
  });

  it('createConduitRouter rejects an invalid config with every issue', () => {
    expect(() =>
      createConduitRouter({ Providers: [], Router: { default: 'a,b', think: 'c' } }),
    ).toThrow(/2 problems/);
  });

  it('uses the injected token counter', async () => {
    const counter = new TokenCounter();
    await createConduitRouter(routerTestConfig, { tokenCounter: counter }).route({
      request: { ...baseRequest(), system: 'x'.repeat(100) },
    });
    expect(counter.getCacheStats().misses).toBe(1);
  });
});

describe('ConduitRouter on Claude Code fixtures', () => {
  const router = createConduitRouter(routerTestConfig);

  it.each([
    ['cc-hi-01-messages.json', 'default'],
    ['cc-model-haiku-01-messages.json', 'background'],
    ['cc-model-sonnet45-01-messages.json', 'think'],
    ['cc-think-disabled-01-messages.json', 'default'],
    ['cc-think-omitted-01-messages.json', 'default'],
    ['cc-agent-02-messages.json', 'background'],
    ['cc-interactive-03-title-messages.json', 'default'],
  ])('%s → %s', async (name, reason) => {
    const request = readClaudeCodeFixture(name);
    const decision = await router.route({ request });
    expect(decision.reason).toBe(reason);
    expect(decision.tokenCount).toBeGreaterThan(0);
  });

  it('reads the session id Claude Code puts in metadata.user_id', async () => {
    const decision = await router.route({
      request: readClaudeCodeFixture('cc-hi-01-messages.json'),
    });
    expect(decision.metadata.sessionId).toBe('f2cd828c-bdca-44b5-a579-5ca79cd6e455');
  });
});
