import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createConduitRouter, type ConduitConfigInput } from '@conduit/core';
import { describe, expect, it } from '@jest/globals';
import { PluginManager } from '../plugin-manager.js';
import { createContext, createRecordingLogger } from '../test-helpers.js';
import { createCustomRouterPlugin } from './create-custom-router-plugin.js';
import { pluginConfigsFromConduitConfig } from './plugin-configs-from-conduit-config.js';

const ccrHome = new URL('../__fixtures__/ccr-home/', import.meta.url).pathname;
const readmeRouterPath = join(ccrHome, 'custom-router.js');

const ask = (content: unknown) =>
  createContext({
    request: {
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content }],
    } as never,
  });

const config: ConduitConfigInput = {
  CUSTOM_ROUTER_PATH: './custom-router.js',
  Providers: [
    {
      name: 'openrouter',
      api_base_url: 'https://openrouter.example/v1/chat/completions',
      api_key: 'k',
      models: ['anthropic/claude-3.5-sonnet'],
    },
    {
      name: 'deepseek',
      api_base_url: 'https://deepseek.example/chat/completions',
      api_key: 'k',
      models: ['deepseek-chat'],
    },
  ],
  Router: { default: 'deepseek,deepseek-chat' },
  plugins: [{ name: 'token-speed', enabled: true }],
};

describe("CCR's README custom router, unchanged", () => {
  it('routes through the Conduit router with reason custom-router, and falls through on null', async () => {
    const manager = new PluginManager({
      baseDir: ccrHome,
      conduitConfig: config as Record<string, unknown>,
    });
    const entries = pluginConfigsFromConduitConfig(config as Record<string, unknown>, {
      baseDir: ccrHome,
    });
    expect(entries.map(entry => entry.name)).toEqual(['custom-router', 'token-speed']);
    const report = await manager.loadPlugins(entries);
    expect(report.failed).toEqual([]);

    const router = createConduitRouter(config, { hooks: manager });
    const explained = await router.route(ask('Could you explain this code for me?'));
    expect(explained).toMatchObject({
      provider: 'openrouter',
      model: 'anthropic/claude-3.5-sonnet',
      reason: 'custom-router',
    });
    const plain = await router.route(ask('write a test'));
    expect(plain).toMatchObject({
      provider: 'deepseek',
      model: 'deepseek-chat',
      reason: 'default',
    });
    await manager.cleanup();
  });

  it('passes when Claude Code sends content as blocks (the example checks strings only)', async () => {
    const plugin = await createCustomRouterPlugin(readmeRouterPath);
    expect(await plugin.customRouter?.(ask('please explain this code'))).toBe(
      'openrouter,anthropic/claude-3.5-sonnet',
    );
    expect(
      await plugin.customRouter?.(ask([{ type: 'text', text: 'explain this code' }])),
    ).toBeNull();
  });
});

describe('createCustomRouterPlugin', () => {
  const contextRouter = join(ccrHome, 'context-router.js');
  const routerConfig = {
    Router: { longContextThreshold: 1000, longContext: 'gemini,gemini-2.5-pro' },
  };

  it('gives the router a CCR-like req, the full config and an EventEmitter', async () => {
    const logger = createRecordingLogger();
    const plugin = await createCustomRouterPlugin(contextRouter, {
      conduitConfig: routerConfig,
      logger,
    });
    const routed: unknown[] = [];
    plugin.events.on('routed', sessionId => routed.push(sessionId));

    expect(await plugin.customRouter?.(createContext({ tokenCount: 5000, sessionId: 's-1' }))).toBe(
      'gemini,gemini-2.5-pro',
    );
    expect(
      await plugin.customRouter?.(
        createContext({ headers: { 'x-route-to': 'a,b' }, sessionId: 's-2' }),
      ),
    ).toBe('a,b');
    expect(await plugin.customRouter?.(createContext({ tokenCount: 5 }))).toBeNull();
    expect(routed).toEqual(['s-1', 's-2', undefined]);
    expect(logger.lines[0]).toEqual({
      level: 'info',
      message: 'context-router called',
      details: { tokenCount: 5000 },
    });
    await plugin.onUnload?.();
    expect(plugin.events.listenerCount('routed')).toBe(0);
  });

  it('is isolated like any plugin: a bad answer or a throw falls through to the next rule', async () => {
    const logger = createRecordingLogger();
    const manager = new PluginManager({ logger, baseDir: ccrHome, conduitConfig: routerConfig });
    await manager.loadPlugins(
      pluginConfigsFromConduitConfig({ CUSTOM_ROUTER_PATH: 'context-router.js', plugins: [] }),
    );
    expect(await manager.customRoute(createContext({ sessionId: 'bad-answer' }))).toBeNull();
    expect(await manager.customRoute(createContext({ sessionId: 'throw' }))).toBeNull();
    expect(logger.messages('warn')).toEqual([
      expect.stringContaining('plugin "custom-router" customRouter returned the string "no-comma"'),
      expect.stringContaining('plugin "custom-router" customRouter failed: router blew up'),
    ]);
    await manager.cleanup();
  });

  it('loads CUSTOM_ROUTER_PATH from the manager option, ahead of config.plugins', async () => {
    const manager = new PluginManager({ baseDir: ccrHome, customRouterPath: 'custom-router.js' });
    const report = await manager.loadPlugins([
      { name: 'always', module: { name: 'always', customRouter: () => 'other,model' } },
    ]);
    expect(report.loaded.map(plugin => plugin.name)).toEqual(['custom-router', 'always']);
    expect(await manager.customRoute(ask('explain this code'))).toEqual({
      pluginName: 'custom-router',
      result: 'openrouter,anthropic/claude-3.5-sonnet',
    });
    await manager.reload([]);
    expect(manager.getLoadedPlugins().map(plugin => plugin.name)).toEqual(['custom-router']);
    await manager.cleanup();
  });

  it('reports a missing or unusable CUSTOM_ROUTER_PATH as a load failure', async () => {
    const manager = new PluginManager({ baseDir: ccrHome });
    const report = await manager.loadPlugins([
      ...pluginConfigsFromConduitConfig({ CUSTOM_ROUTER_PATH: 'nope.js' }, { baseDir: ccrHome }),
    ]);
    expect(report.failed).toMatchObject([{ name: 'custom-router' }]);
    expect(report.failed[0]?.message).toContain(`file not found: ${join(ccrHome, 'nope.js')}`);
    await expect(
      createCustomRouterPlugin(
        new URL('../__fixtures__/plugins/no-plugin.mjs', import.meta.url).pathname,
      ),
    ).rejects.toThrow('without a router function');
  });
});

describe('pluginConfigsFromConduitConfig', () => {
  it('puts CUSTOM_ROUTER_PATH first, keeps plugin order, reads CCR v2 "Plugins", resolves relative paths', () => {
    expect(
      pluginConfigsFromConduitConfig(
        {
          CUSTOM_ROUTER_PATH: 'router.js',
          Plugins: [
            { name: 'token-speed', enabled: true, options: {} },
            { name: 'mine', path: 'plugins/mine.mjs' },
          ],
        },
        { baseDir: '/etc/conduit' },
      ),
    ).toEqual([
      {
        name: 'custom-router',
        source: 'builtin',
        module: 'custom-router',
        config: { path: '/etc/conduit/router.js' },
      },
      { name: 'token-speed', enabled: true, options: {} },
      { name: 'mine', path: '/etc/conduit/plugins/mine.mjs' },
    ]);
  });

  it('returns an empty list for a config without plugins and rejects a non-list', () => {
    expect(pluginConfigsFromConduitConfig({})).toEqual([]);
    expect(() => pluginConfigsFromConduitConfig({ plugins: 'token-speed' })).toThrow(
      'plugins: must be a list',
    );
  });
});

describe('CUSTOM_ROUTER_PATH on reload', () => {
  it('re-reads the edited script, CommonJS and ESM (in a real Node process)', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'conduit-custom-router-'));
    try {
      const script = new URL('../__fixtures__/reload-edited-custom-router.mts', import.meta.url)
        .pathname;
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--conditions=@conduit/source', '--import', 'tsx', script, directory],
        { cwd: new URL('../..', import.meta.url).pathname, timeout: 60000 },
      );
      expect(JSON.parse(stdout)).toEqual({
        before: ['first,model', 'first,model'],
        after: ['second,model', 'second,model'],
      });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe('the custom router `event` emitter', () => {
  it('is the router’s own: Conduit emits none of CCR’s events on it, and the docs say so', async () => {
    const plugin = await createCustomRouterPlugin(readmeRouterPath, {
      conduitConfig: config as Record<string, unknown>,
    });
    const heard: string[] = [];
    for (const name of ['onSend', 'onError']) plugin.events.on(name, () => heard.push(name));
    expect(await plugin.customRouter?.(ask('explain this code'))).toBe(
      'openrouter,anthropic/claude-3.5-sonnet',
    );
    expect(heard).toEqual([]);
    await plugin.onUnload?.();

    const repository = new URL('../../../../', import.meta.url);
    const readme = await readFile(new URL('packages/plugins/README.md', repository), 'utf8');
    const migration = await readFile(new URL('docs/migrating-from-ccr.md', repository), 'utf8');
    expect(readme.replace(/\s+/g, ' ')).toContain(
      "Conduit emits no events on `event`**: CCR emits its Fastify hooks' `onSend`",
    );
    expect(migration.replace(/\s+/g, ' ')).toContain(
      '`event` is an `EventEmitter` on which Conduit emits nothing',
    );
  });
});
