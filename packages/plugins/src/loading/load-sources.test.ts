import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PluginManager } from '../plugin-manager.js';
import { createContext, createDecision, createRecordingLogger } from '../test-helpers.js';

const fixtures = new URL('../__fixtures__/', import.meta.url).pathname;
const pluginsDir = join(fixtures, 'plugins');
const npmRoot = join(fixtures, 'npm-root');
const execFileAsync = promisify(execFile);

describe('loading real plugin files', () => {
  it('loads ESM (.mjs, .js) and CommonJS (.cjs) files in every accepted export shape, in config order', async () => {
    const events: string[] = [];
    const manager = new PluginManager({ baseDir: pluginsDir });
    const report = await manager.loadPlugins([
      { name: 'esm-factory', path: './esm-factory.mjs', config: { events, label: 'first' } },
      { name: 'esm-named', path: 'esm-named-plugin.mjs' },
      { name: 'esm-module', source: 'file', path: 'esm-module-as-plugin.js' },
      { name: 'esm-class', path: 'esm-class.mjs', config: { prefix: 'k' } },
      { name: 'cjs-object', path: 'cjs-object.cjs' },
      {
        name: 'cjs-factory',
        path: 'cjs-factory.cjs',
        config: { threshold: 5, route: 'big,model' },
      },
      { name: 'cjs-transpiled', path: join(pluginsDir, 'cjs-transpiled.cjs') },
    ]);

    expect(report.failed).toEqual([]);
    expect(report.loaded.map(plugin => plugin.name)).toEqual([
      'esm-factory',
      'esm-named',
      'esm-module',
      'esm-class',
      'cjs-object',
      'cjs-factory',
      'cjs-transpiled',
    ]);
    expect(report.loaded.every(plugin => plugin.source === 'file')).toBe(true);
    expect(report.loaded[0]?.version).toBe('1.2.3');
    expect(events).toEqual(['onLoad:first']);

    const context = await manager.beforeRouting(createContext({ tokenCount: 50 }));
    expect(context.metadata).toEqual({ trail: ['esm-factory'], classTag: 'k-1', transpiled: true });

    expect(await manager.customRoute(context)).toEqual({
      pluginName: 'cjs-factory',
      result: 'big,model',
    });
    expect(
      await manager.customRoute({
        ...context,
        request: { ...context.request, model: 'module-route' },
      }),
    ).toEqual({ pluginName: 'esm-module', result: 'module,routed' });

    const decision = await manager.afterRouting(createDecision(), context);
    expect(decision.metadata).toEqual({ esmNamed: true, cjsObject: true });

    await manager.cleanup();
    expect(events).toEqual(['onLoad:first', 'onUnload:esm-factory']);
    expect(manager.getLoadedPlugins()).toEqual([]);
  });

  it('loads a CommonJS package and an ESM-only package from a node_modules directory', async () => {
    const manager = new PluginManager({ baseDir: pluginsDir, resolvePaths: [npmRoot] });
    const report = await manager.loadPlugins([
      { name: 'conduit-plugin-example', config: { tag: 'from-npm' } },
      { name: 'gold', source: 'npm', module: '@conduit-fixtures/esm-only-plugin' },
    ]);
    expect(report.failed).toEqual([]);
    expect(report.loaded.map(plugin => [plugin.name, plugin.source])).toEqual([
      ['conduit-plugin-example', 'npm'],
      ['gold', 'npm'],
    ]);
    const context = await manager.beforeRouting(createContext({ metadata: { tier: 'gold' } }));
    expect(context.metadata).toEqual({ tier: 'gold', exampleTag: 'from-npm' });
    expect(await manager.customRoute(context)).toEqual({
      pluginName: 'gold',
      result: { provider: 'anthropic', model: 'claude-opus-4', reason: 'gold tier' },
    });
    await manager.cleanup();
  });

  it('reports a package whose validateConfig rejects the config, and keeps going', async () => {
    const logger = createRecordingLogger();
    const manager = new PluginManager({ logger, resolvePaths: [npmRoot] });
    const report = await manager.loadPlugins([
      { name: 'conduit-plugin-example', config: { tag: 7 } },
      { name: 'after', module: { name: 'after', customRouter: () => 'a,b' } },
    ]);
    expect(report.failed).toMatchObject([
      {
        name: 'conduit-plugin-example',
        stage: 'validate',
        issues: ['config.tag must be a string'],
      },
    ]);
    expect(report.loaded.map(plugin => plugin.name)).toEqual(['after']);
    expect(logger.messages('error')[0]).toContain(
      'Plugin "conduit-plugin-example" was not loaded (validate): its config was rejected: config.tag must be a string',
    );
  });

  it.each([
    ['a missing file', { name: 'gone', path: './does-not-exist.mjs' }, 'resolve', 'file not found'],
    [
      'a missing package',
      { name: 'conduit-plugin-nope' },
      'resolve',
      'package "conduit-plugin-nope" is not installed',
    ],
    [
      'an invalid package name',
      { name: 'bad', source: 'npm' as const, module: 'Not A Package!' },
      'resolve',
      'not a valid npm package name',
    ],
    ['a syntax error', { name: 'broken', path: 'syntax-error.mjs' }, 'import', 'importing'],
    [
      'a module that throws',
      { name: 'explodes', path: 'throws-on-import.cjs' },
      'import',
      'plugin setup exploded',
    ],
    [
      'a module without a plugin',
      { name: 'empty', path: 'no-plugin.mjs' },
      'shape',
      'exports no plugin',
    ],
  ])('isolates %s', async (_label, entry, stage, message) => {
    const logger = createRecordingLogger();
    const manager = new PluginManager({ logger, baseDir: pluginsDir, resolvePaths: [npmRoot] });
    const report = await manager.loadPlugins([entry, { name: 'ok', path: 'cjs-object.cjs' }]);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]).toMatchObject({ name: entry.name, stage });
    expect(report.failed[0]?.message).toContain(message);
    expect(report.loaded.map(plugin => plugin.name)).toEqual(['ok']);
    expect(manager.getLoadErrors()).toHaveLength(1);
    expect(logger.messages('error')[0]).toContain(`Plugin "${entry.name}" was not loaded`);
  });
});

describe('reload', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'conduit-plugins-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('unloads the old plugins (onUnload) and loads the new list', async () => {
    const events: string[] = [];
    const manager = new PluginManager({ baseDir: pluginsDir });
    await manager.loadPlugins([
      { name: 'esm-factory', path: 'esm-factory.mjs', config: { events, label: 'v1' } },
      { name: 'cjs-object', path: 'cjs-object.cjs' },
    ]);
    const report = await manager.reload([
      { name: 'esm-factory', path: 'esm-factory.mjs', config: { events, label: 'v2' } },
    ]);
    expect(events).toEqual(['onLoad:v1', 'onUnload:esm-factory', 'onLoad:v2']);
    expect(report.loaded.map(plugin => plugin.name)).toEqual(['esm-factory']);
    expect(manager.getLoadedPlugins().map(plugin => plugin.name)).toEqual(['esm-factory']);
    await manager.cleanup();
  });

  it('re-imports edited ESM and CommonJS files (in a real Node process)', async () => {
    const script = join(fixtures, 'reload-edited-files.mts');
    const { stdout } = await execFileAsync(
      process.execPath,
      ['--conditions=@conduit/source', '--import', 'tsx', script, directory],
      { cwd: new URL('../..', import.meta.url).pathname, timeout: 60000 },
    );
    expect(JSON.parse(stdout)).toEqual({
      before: ['first,model', 'first,model'],
      after: ['second,model', 'second,model'],
    });
  });
});
