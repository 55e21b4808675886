import { describe, expect, it } from '@jest/globals';
import type { ConduitPlugin } from '@conduit/core';
import { PluginRejectionError } from './errors/plugin-rejection-error.js';
import { PluginManager } from './plugin-manager.js';
import { createContext, createDecision, createRecordingLogger, never } from './test-helpers.js';

const inline = (plugin: ConduitPlugin, extra: Record<string, unknown> = {}) => ({
  name: plugin.name,
  module: plugin,
  ...extra,
});

const tagging = (name: string): ConduitPlugin => ({
  name,
  beforeRouting: context => ({
    ...context,
    metadata: {
      ...context.metadata,
      trail: [...((context.metadata?.trail as string[]) ?? []), name],
    },
  }),
  afterRouting: decision => ({
    ...decision,
    metadata: {
      ...decision.metadata,
      after: [...((decision.metadata.after as string[]) ?? []), name],
    },
  }),
});

describe('PluginManager hooks', () => {
  it('chains beforeRouting and afterRouting in config order, each seeing the previous output', async () => {
    const manager = new PluginManager();
    await manager.loadPlugins([
      inline(tagging('one')),
      inline(tagging('two')),
      inline(tagging('three')),
    ]);
    const context = await manager.beforeRouting(createContext());
    expect(context.metadata?.trail).toEqual(['one', 'two', 'three']);
    const decision = await manager.afterRouting(createDecision(), context);
    expect(decision.metadata.after).toEqual(['one', 'two', 'three']);
  });

  it('keeps in-place edits when a hook returns nothing, and merges partial afterRouting answers', async () => {
    const manager = new PluginManager();
    await manager.loadPlugins([
      inline({
        name: 'mutator',
        beforeRouting: context => {
          context.metadata = { ...context.metadata, mutated: true };
        },
        afterRouting: () => ({ model: 'claude-haiku-4-5' }) as never,
      }),
    ]);
    const original = createContext();
    const context = await manager.beforeRouting(original);
    expect(context.metadata).toEqual({ mutated: true });
    expect(original.metadata).toEqual({});
    const decision = await manager.afterRouting(createDecision({ fallbacks: ['a,b'] }), context);
    expect(decision).toMatchObject({
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      fallbacks: ['a,b'],
    });
  });

  it('lets the first non-null customRouter answer win, in config order', async () => {
    const calls: string[] = [];
    const router = (name: string, answer: unknown): ConduitPlugin => ({
      name,
      customRouter: () => {
        calls.push(name);
        return answer as string | null;
      },
    });
    const manager = new PluginManager();
    await manager.loadPlugins([
      inline(router('passes', null)),
      inline(router('empty', '')),
      inline(router('undecided', undefined)),
      inline(router('winner', ' deepseek,deepseek-chat ')),
      inline(router('too-late', 'other,model')),
    ]);
    expect(await manager.customRoute(createContext())).toEqual({
      pluginName: 'winner',
      result: 'deepseek,deepseek-chat',
    });
    expect(calls).toEqual(['passes', 'empty', 'undecided', 'winner']);
  });

  it('returns null when no plugin answers, and object answers as they are', async () => {
    const manager = new PluginManager();
    expect(await manager.customRoute(createContext())).toBeNull();
    await manager.loadPlugins([
      inline({
        name: 'object',
        customRouter: () => ({ provider: 'p', model: 'm', confidence: 0.9 }),
      }),
    ]);
    expect(await manager.customRoute(createContext())).toEqual({
      pluginName: 'object',
      result: { provider: 'p', model: 'm', confidence: 0.9 },
    });
  });
});

describe('PluginManager idle hooks', () => {
  it('is idle with no plugin, or only plugins without routing hooks, and not with one', async () => {
    const manager = new PluginManager();
    expect(manager.isIdle()).toBe(true);
    await manager.loadPlugins([inline({ name: 'lifecycle-only', onLoad: () => undefined })]);
    expect(manager.isIdle()).toBe(true);
    await manager.reload([inline(tagging('router'))]);
    expect(manager.isIdle()).toBe(false);
  });
});

describe('PluginManager isolation', () => {
  const failing: Record<string, () => unknown> = {
    throwing: () => {
      throw new Error('sync boom');
    },
    rejecting: () => Promise.reject(new Error('async boom')),
    hanging: () => never(),
  };

  it.each(Object.keys(failing))('skips a %s plugin in every hook and carries on', async kind => {
    const logger = createRecordingLogger();
    const manager = new PluginManager({ logger, hookTimeoutMs: 50 });
    const bad = failing[kind]!;
    await manager.loadPlugins([
      inline({
        name: 'bad',
        beforeRouting: bad,
        customRouter: bad,
        afterRouting: bad,
      } as ConduitPlugin),
      inline(tagging('good')),
      inline({ name: 'router', customRouter: () => 'good,route' }),
    ]);
    const context = await manager.beforeRouting(createContext());
    expect(context.metadata?.trail).toEqual(['good']);
    expect(await manager.customRoute(context)).toEqual({
      pluginName: 'router',
      result: 'good,route',
    });
    const decision = await manager.afterRouting(createDecision(), context);
    expect(decision.metadata.after).toEqual(['good']);

    const warnings = logger.messages('warn');
    expect(warnings).toHaveLength(3);
    const expected = {
      throwing: 'sync boom',
      rejecting: 'async boom',
      hanging: 'timed out after 50 ms',
    }[kind];
    for (const hook of ['beforeRouting', 'customRouter', 'afterRouting']) {
      expect(warnings).toContainEqual(expect.stringContaining(`plugin "bad" ${hook} failed: `));
    }
    expect(warnings.every(message => message.includes(expected!))).toBe(true);
    expect(logger.lines.find(line => line.level === 'warn')?.details).toMatchObject({
      plugin: 'bad',
    });
  });

  it.each([
    [
      'beforeRouting returning a string',
      { beforeRouting: () => 'nope' },
      'beforeRouting returned the string "nope"',
    ],
    [
      'beforeRouting returning an object without request',
      { beforeRouting: () => ({ metadata: {} }) },
      'must return the routing context',
    ],
    [
      'customRouter returning "no-comma"',
      { customRouter: () => 'no-comma' },
      'customRouter returned the string "no-comma"',
    ],
    [
      'customRouter returning a number',
      { customRouter: () => 42 },
      'customRouter returned a number',
    ],
    [
      'customRouter returning a bad confidence',
      { customRouter: () => ({ provider: 'p', model: 'm', confidence: 7 }) },
      '"confidence"',
    ],
    [
      'afterRouting returning an array',
      { afterRouting: () => [] },
      'afterRouting returned an array',
    ],
    [
      'afterRouting erasing the model',
      { afterRouting: () => ({ model: '' }) },
      '"model" must be a non-empty string',
    ],
  ])('treats %s as a failure of that hook', async (_label, hooks, message) => {
    const logger = createRecordingLogger();
    const manager = new PluginManager({ logger });
    await manager.loadPlugins([inline({ name: 'malformed', ...hooks } as ConduitPlugin)]);
    const original = createContext();
    expect(await manager.beforeRouting(original)).toEqual(original);
    expect(await manager.customRoute(original)).toBeNull();
    const decision = createDecision();
    expect(await manager.afterRouting(decision, original)).toEqual(decision);
    expect(logger.messages('warn')).toEqual([expect.stringContaining(message)]);
  });

  it('does not let a failed hook leak its half-done edits into the context', async () => {
    const manager = new PluginManager();
    await manager.loadPlugins([
      inline({
        name: 'half-done',
        beforeRouting: context => {
          (context.metadata as Record<string, unknown>).leaked = true;
          throw new Error('midway');
        },
      }),
    ]);
    expect((await manager.beforeRouting(createContext())).metadata).toEqual({});
  });

  it('propagates a PluginRejectionError (a deliberate refusal) instead of skipping it', async () => {
    const manager = new PluginManager();
    const rejection = new PluginRejectionError({
      pluginName: 'guard',
      message: 'no',
      statusCode: 403,
    });
    await manager.loadPlugins([
      inline({
        name: 'guard',
        afterRouting: () => {
          throw rejection;
        },
      }),
    ]);
    await expect(manager.afterRouting(createDecision(), createContext())).rejects.toBe(rejection);
  });

  it('disables a plugin after maxConsecutiveFailures and reports it in health', async () => {
    const logger = createRecordingLogger();
    let calls = 0;
    const manager = new PluginManager({ logger, maxConsecutiveFailures: 2 });
    await manager.loadPlugins([
      inline({
        name: 'flaky',
        customRouter: () => {
          calls += 1;
          throw new Error(`failure ${calls}`);
        },
      }),
    ]);
    for (let attempt = 0; attempt < 4; attempt += 1) await manager.customRoute(createContext());
    expect(calls).toBe(2);
    expect(logger.messages('error')).toEqual([
      expect.stringContaining('plugin "flaky" disabled after 2'),
    ]);
    expect(manager.getLoadedPlugins()[0]?.disabled).toBe(true);
    expect(await manager.getHealth()).toEqual({
      status: 'degraded',
      plugins: [
        {
          name: 'flaky',
          status: 'unhealthy',
          message: 'disabled after repeated hook failures (last: customRouter failed: failure 2)',
        },
      ],
    });
  });

  it('resets the failure count after a success', async () => {
    let calls = 0;
    const manager = new PluginManager({ maxConsecutiveFailures: 2 });
    await manager.loadPlugins([
      inline({
        name: 'alternating',
        customRouter: () => {
          calls += 1;
          if (calls % 2 === 1) throw new Error('odd');
          return null;
        },
      }),
    ]);
    for (let attempt = 0; attempt < 6; attempt += 1) await manager.customRoute(createContext());
    expect(calls).toBe(6);
    expect(manager.getLoadedPlugins()[0]?.disabled).toBe(false);
  });

  it('honours a per-plugin hookTimeoutMs', async () => {
    const manager = new PluginManager({ hookTimeoutMs: 60000 });
    await manager.loadPlugins([
      inline({ name: 'slow', customRouter: () => never() }, { hookTimeoutMs: 20 }),
      inline({ name: 'fast', customRouter: () => 'fast,model' }),
    ]);
    expect(await manager.customRoute(createContext())).toEqual({
      pluginName: 'fast',
      result: 'fast,model',
    });
  });
});

describe('PluginManager loading', () => {
  it('skips disabled entries and accepts CCR v2 { name, enabled, options } entries', async () => {
    let seen: Record<string, unknown> | undefined;
    const manager = new PluginManager();
    const report = await manager.loadPlugins([
      { name: 'off', enabled: false, module: { name: 'off' } },
      {
        name: 'ccr-style',
        enabled: true,
        options: { level: 3 },
        module: (config: Record<string, unknown>) => {
          seen = config;
          return { name: 'ccr-style' };
        },
      },
    ]);
    expect(report.skipped).toEqual([{ name: 'off', reason: 'disabled' }]);
    expect(report.loaded.map(plugin => plugin.name)).toEqual(['ccr-style']);
    expect(seen).toEqual({ level: 3 });
  });

  it.each([
    ['false', false, ['validateConfig returned false']],
    ['a string', 'needs an apiKey', ['needs an apiKey']],
    ['a list', ['a is missing', 'b is wrong'], ['a is missing', 'b is wrong']],
    ['{ valid: false, errors }', { valid: false, errors: ['bad region'] }, ['bad region']],
    [
      'a rejection',
      () => Promise.reject(new Error('cannot validate')),
      ['validateConfig threw: cannot validate'],
    ],
  ])('does not load a plugin whose validateConfig returns %s', async (_label, answer, issues) => {
    const logger = createRecordingLogger();
    let loaded = false;
    const manager = new PluginManager({ logger });
    const report = await manager.loadPlugins([
      inline({
        name: 'picky',
        validateConfig: () => (typeof answer === 'function' ? answer() : answer) as never,
        onLoad: () => {
          loaded = true;
        },
      }),
    ]);
    expect(loaded).toBe(false);
    expect(report.loaded).toEqual([]);
    expect(report.failed).toMatchObject([{ name: 'picky', stage: 'validate', issues }]);
    expect(logger.messages('error')[0]).toContain(`its config was rejected: ${issues.join('; ')}`);
  });

  it.each([
    ['true', true],
    ['{ valid: true }', { valid: true }],
    ['an empty list', []],
  ])('loads a plugin whose validateConfig returns %s', async (_label, answer) => {
    const manager = new PluginManager();
    const report = await manager.loadPlugins([
      inline({ name: 'ok', validateConfig: () => answer as never }),
    ]);
    expect(report.loaded.map(plugin => plugin.name)).toEqual(['ok']);
  });

  it('reports entries that cannot work: no name, bad source, duplicate name, bad hook, failing onLoad', async () => {
    const manager = new PluginManager({ loadTimeoutMs: 50 });
    const report = await manager.loadPlugins([
      { enabled: true },
      { name: 'weird', source: 'ftp' },
      inline({ name: 'twice' }),
      inline({ name: 'twice' }),
      { name: 'not-a-hook', module: { name: 'x', beforeRouting: 'yes' } },
      inline({ name: 'load-fails', onLoad: () => Promise.reject(new Error('no database')) }),
      inline({ name: 'load-hangs', onLoad: () => never() }),
      {
        name: 'factory-throws',
        module: () => {
          throw new Error('bad factory');
        },
      },
      'just-a-string',
    ] as never);
    expect(report.failed.map(failure => [failure.name, failure.stage])).toEqual([
      ['plugins[0]', 'config'],
      ['weird', 'config'],
      ['twice', 'config'],
      ['not-a-hook', 'shape'],
      ['load-fails', 'load'],
      ['load-hangs', 'load'],
      ['factory-throws', 'create'],
      ['plugins[8]', 'config'],
    ]);
    expect(report.failed[3]?.message).toContain('"beforeRouting" must be a function');
    expect(report.failed[4]?.message).toContain('onLoad failed: no database');
    expect(report.failed[5]?.message).toContain('timed out after 50 ms');
    expect(report.failed[6]?.message).toContain('its factory threw: bad factory');
    expect(report.loaded.map(plugin => plugin.name)).toEqual(['twice']);
  });

  it('passes config, the Conduit config and a named logger to onLoad', async () => {
    const logger = createRecordingLogger();
    const conduitConfig = { Router: { default: 'a,b' } };
    let received: unknown;
    const manager = new PluginManager({ logger, conduitConfig });
    await manager.loadPlugins([
      inline(
        {
          name: 'curious',
          onLoad: context => {
            received = { config: context.config, conduitConfig: context.conduitConfig };
            context.logger.info('ready', { port: 1 });
          },
        },
        { config: { level: 2 } },
      ),
    ]);
    expect(received).toEqual({ config: { level: 2 }, conduitConfig });
    expect(logger.lines).toContainEqual({
      level: 'info',
      message: 'plugin "curious": ready',
      details: { port: 1, plugin: 'curious' },
    });
  });

  it('throws a clear error when given something other than a list', async () => {
    const manager = new PluginManager();
    await expect(manager.loadPlugins({} as never)).rejects.toThrow(
      'expects an array of plugin entries',
    );
  });
});

describe('PluginManager lifecycle and health', () => {
  it('calls every onUnload (in reverse order, each isolated) on cleanup', async () => {
    const events: string[] = [];
    const manager = new PluginManager({ loadTimeoutMs: 50 });
    const unloading = (name: string, onUnload: () => unknown): ConduitPlugin => ({
      name,
      onUnload: () => {
        events.push(name);
        return onUnload() as void;
      },
    });
    await manager.loadPlugins([
      inline(unloading('first', () => undefined)),
      inline(
        unloading('throws', () => {
          throw new Error('x');
        }),
      ),
      inline(unloading('hangs', () => never())),
      inline(unloading('last', () => undefined)),
    ]);
    await manager.cleanup();
    expect(events).toEqual(['last', 'hangs', 'throws', 'first']);
    expect(manager.getLoadedPlugins()).toEqual([]);
    expect(await manager.customRoute(createContext())).toBeNull();
  });

  it('unloads on reload and starts from a clean failure list', async () => {
    const events: string[] = [];
    const plugin: ConduitPlugin = {
      name: 'stateful',
      onLoad: () => {
        events.push('load');
      },
      onUnload: () => {
        events.push('unload');
      },
    };
    const manager = new PluginManager();
    await manager.loadPlugins([inline(plugin), { name: 'broken', source: 'inline' }]);
    expect(manager.getLoadErrors()).toHaveLength(1);
    await manager.reload([inline(plugin)]);
    expect(events).toEqual(['load', 'unload', 'load']);
    expect(manager.getLoadErrors()).toEqual([]);
    expect(manager.getLoadedPlugins().map(loaded => loaded.name)).toEqual(['stateful']);
  });

  it('runs lifecycle calls one at a time', async () => {
    const events: string[] = [];
    const slowLoad: ConduitPlugin = {
      name: 'slow',
      onLoad: () =>
        new Promise<void>(resolve =>
          setTimeout(() => {
            events.push('loaded');
            resolve();
          }, 20),
        ),
      onUnload: () => {
        events.push('unloaded');
      },
    };
    const manager = new PluginManager();
    const loading = manager.loadPlugins([inline(slowLoad)]);
    const cleaning = manager.cleanup();
    await Promise.all([loading, cleaning]);
    expect(events).toEqual(['loaded', 'unloaded']);
  });

  it('aggregates getHealth answers, failures, timeouts and load errors', async () => {
    const manager = new PluginManager({ hookTimeoutMs: 50 });
    await manager.loadPlugins([
      inline({ name: 'quiet' }),
      inline({
        name: 'fine',
        getHealth: () => ({ status: 'healthy', message: 'ok', details: { queue: 0 } }),
      }),
      inline({
        name: 'slowish',
        getHealth: async () => ({ status: 'degraded', message: 'lagging' }),
      }),
      inline({
        name: 'throws',
        getHealth: () => {
          throw new Error('db down');
        },
      }),
      inline({ name: 'hangs', getHealth: () => never() }),
      inline({ name: 'nonsense', getHealth: () => ({ status: 'great' }) as never }),
      { name: 'missing', path: '/nonexistent/plugin.mjs' },
    ]);
    expect(await manager.getHealth()).toEqual({
      status: 'degraded',
      plugins: [
        { name: 'quiet', status: 'healthy' },
        { name: 'fine', status: 'healthy', message: 'ok', details: { queue: 0 } },
        { name: 'slowish', status: 'degraded', message: 'lagging' },
        { name: 'throws', status: 'unhealthy', message: 'getHealth failed: db down' },
        {
          name: 'hangs',
          status: 'unhealthy',
          message: 'getHealth failed: plugin "hangs" getHealth timed out after 50 ms',
        },
        {
          name: 'nonsense',
          status: 'unhealthy',
          message: expect.stringContaining('getHealth returned an object'),
        },
        {
          name: 'missing',
          status: 'unhealthy',
          message: expect.stringContaining('file not found: /nonexistent/plugin.mjs'),
        },
      ],
    });
  });

  it('is healthy with no plugins or only healthy ones', async () => {
    const manager = new PluginManager();
    expect(await manager.getHealth()).toEqual({ status: 'healthy', plugins: [] });
    await manager.loadPlugins([inline({ name: 'quiet' })]);
    expect((await manager.getHealth()).status).toBe('healthy');
  });
});
