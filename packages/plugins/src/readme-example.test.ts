import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { PluginManager } from './plugin-manager.js';
import { createContext, createDecision, createRecordingLogger } from './test-helpers.js';

const packageRoot = new URL('../', import.meta.url);
const examplePath = new URL('examples/tenant-router.mjs', packageRoot).pathname;

describe('README "Writing a plugin" example', () => {
  it('is the same code as examples/tenant-router.mjs', () => {
    const readme = readFileSync(new URL('README.md', packageRoot), 'utf8');
    const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map(match => match[1]);
    expect(blocks).toContain(readFileSync(examplePath, 'utf8'));
  });

  it('loads from its file and routes, tags, reports health and unloads as documented', async () => {
    const logger = createRecordingLogger();
    const manager = new PluginManager({ logger });
    const report = await manager.loadPlugins([
      {
        name: 'tenant-router',
        path: examplePath,
        config: { cheapRoute: 'ollama,qwen2.5-coder:latest' },
      },
    ]);
    expect(report.loaded).toMatchObject([
      { name: 'tenant-router', version: '1.0.0', source: 'file' },
    ]);
    expect(logger.messages('info')).toContain('plugin "tenant-router": ready');

    const free = await manager.beforeRouting(
      createContext({ headers: { 'x-conduit-tenant': 'free' } }),
    );
    expect(free.metadata).toEqual({ tenant: 'free' });
    expect(await manager.customRoute(free)).toEqual({
      pluginName: 'tenant-router',
      result: 'ollama,qwen2.5-coder:latest',
    });
    const paying = await manager.beforeRouting(
      createContext({ headers: { 'x-conduit-tenant': 'acme' } }),
    );
    expect(await manager.customRoute(paying)).toBeNull();
    expect((await manager.afterRouting(createDecision(), paying)).metadata).toEqual({
      tenant: 'acme',
    });
    expect(await manager.getHealth()).toEqual({
      status: 'healthy',
      plugins: [
        {
          name: 'tenant-router',
          status: 'healthy',
          message: '1 requests sent to ollama,qwen2.5-coder:latest',
        },
      ],
    });
    await manager.cleanup();
  });

  it('refuses a bad cheapRoute through validateConfig', async () => {
    const manager = new PluginManager();
    const report = await manager.loadPlugins([
      { name: 'tenant-router', path: examplePath, config: { cheapRoute: 'no-comma' } },
    ]);
    expect(report.failed).toMatchObject([
      { stage: 'validate', issues: ['cheapRoute must be a "provider,model" string'] },
    ]);
  });
});
