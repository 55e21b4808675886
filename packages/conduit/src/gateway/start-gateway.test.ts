import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ConduitConfigInput, Logger } from '@conduit/core';
import { type MockOpenAIProvider, startMockOpenAIProvider } from '@conduit/test-utils';
import { parseConduitConfig } from '@conduit/server';
import { SynapseServer } from '../synapse/create-synapse-server.js';
import { createConduit } from './create-conduit.js';
import { createStartGateway, type StartGateway } from './start-gateway.js';

const sourceDirectory = resolve(import.meta.dirname, '..');

/**
 * The specifiers a module imports for its values, statically: `import … from`, `export … from`
 * and side-effect imports, not `import type` nor `import()` (which the bundle loads on demand).
 */
function staticValueImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const statements = source.matchAll(
    /^(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm,
  );
  return [...statements].filter(match => !match[1]).map(match => match[2] as string);
}

/** Every file and package `file` reaches through static value imports. */
function reachedStatically(file: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (current: string) => {
    if (files.has(current)) return;
    files.add(current);
    for (const specifier of staticValueImports(current)) {
      if (specifier.startsWith('.')) {
        visit(resolve(dirname(current), specifier.replace(/\.js$/, '.ts')));
      } else {
        packages.add(specifier);
      }
    }
  };
  visit(file);
  return { files, packages };
}

describe('the narrow entry of conduit start (@conduit/conduit/start)', () => {
  it('reaches neither fleet, nor Synapse, nor the meta-package index statically', () => {
    const { files, packages } = reachedStatically(join(sourceDirectory, 'start.ts'));
    expect([...packages].filter(name => name.startsWith('@conduit/')).sort()).toEqual([
      '@conduit/core',
      '@conduit/monitoring',
      '@conduit/plugins',
      '@conduit/server',
      '@conduit/ui',
    ]);
    const reached = [...files].map(file => file.slice(sourceDirectory.length + 1));
    expect(reached).toContain('gateway/compose-gateway.ts');
    for (const kept of [
      'index.ts',
      'gateway/compose-fleet.ts',
      'synapse/create-synapse-server.ts',
    ]) {
      expect(reached).not.toContain(kept);
    }
  });

  it('finds the static imports the check above relies on, and skips type-only and dynamic ones', () => {
    const imports = staticValueImports(join(import.meta.dirname, 'start-gateway.ts'));
    expect(imports).toContain('./compose-gateway.js');
    expect(imports).toContain('@conduit/server');
    expect(imports).not.toContain('./compose-ui.js');
    expect(imports).not.toContain('./synapse-for-start.js');
  });
});

describe('createStartGateway: the gateway createConduit and createSynapseServer build', () => {
  let upstream: MockOpenAIProvider;
  let home: string;
  const logs: string[] = [];
  const record = (level: string) => (message: string) => {
    logs.push(`${level} ${message}`);
  };
  const logger: Logger = {
    trace: record('trace'),
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };

  const configWith = (extra: Record<string, unknown>) =>
    parseConduitConfig({
      Providers: [
        { name: 'mock', api_base_url: upstream.endpoint, api_key: 'sk-a-key', models: ['m'] },
      ],
      Router: { default: 'mock,m' },
      usage: { storage: `sqlite:${join(home, `usage-${logs.length}.db`)}`, flushIntervalMs: 50 },
      ...extra,
    });

  /** Starts the gateway for `extra`, asks it for `/health` and one message, stops it. */
  async function exercise(gateway: StartGateway): Promise<{ health: unknown; reply: unknown }> {
    const { url } = await gateway.start({ port: 0, host: '127.0.0.1' });
    try {
      const health = (await (await fetch(`${url}/health`)).json()) as Record<string, unknown>;
      const response = await fetch(`${url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'claude-x',
          max_tokens: 10,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
      const reply = (await response.json()) as Record<string, unknown>;
      return {
        health: { status: health.status, providers: health.providers, ready: health.ready },
        reply: { status: response.status, type: reply.type, content: reply.content },
      };
    } finally {
      await gateway.stop();
    }
  }

  beforeAll(async () => {
    upstream = await startMockOpenAIProvider();
    home = mkdtempSync(join(tmpdir(), 'conduit-start-gateway-'));
  });
  afterAll(async () => {
    await upstream.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('serves a default config as createConduit does, without Synapse or a fleet', async () => {
    logs.length = 0;
    const config = configWith({});
    const started = await createStartGateway(config, { logger, home, ui: true });
    expect(started).not.toBeInstanceOf(SynapseServer);
    const fromStart = await exercise(started);
    const fromLibrary = await exercise(
      createConduit(config as ConduitConfigInput, { logger, home, ui: true, parsedConfig: config }),
    );
    expect(fromStart).toEqual(fromLibrary);
    expect(fromStart).toMatchObject({ health: { status: 'ok' }, reply: { status: 200 } });
    expect(logs.filter(line => /synapse enabled|fleet enabled/.test(line))).toEqual([]);
  });

  it.each([
    ['the synapse preset', { preset: 'synapse' }],
    ['a synapse section', { synapse: {} }],
    ['a synapse plugin entry', { plugins: [{ name: 'synapse' }] }],
  ])('builds the Synapse server for %s', async (_name, extra) => {
    logs.length = 0;
    const started = await createStartGateway(configWith(extra), { logger, home, ui: true });
    expect(started).toBeInstanceOf(SynapseServer);
    expect(logs).toContain('info synapse enabled: project/agent context, budgets and /api/synapse');
    expect(await exercise(started)).toMatchObject({ reply: { status: 200 } });
  });

  it('keeps the plain gateway for a plugin that is not Synapse', async () => {
    logs.length = 0;
    const config = configWith({ plugins: [{ name: 'token-speed' }] });
    const started = await createStartGateway(config, { logger, home, ui: true });
    expect(started).not.toBeInstanceOf(SynapseServer);
    expect(await exercise(started)).toMatchObject({ reply: { status: 200 } });
  });

  it('wires the fleet for a fleet section, and none when it is turned off', async () => {
    logs.length = 0;
    await exercise(await createStartGateway(configWith({ fleet: {} }), { logger, home, ui: true }));
    expect(logs.filter(line => line.includes('fleet enabled'))).toHaveLength(1);
    logs.length = 0;
    await exercise(
      await createStartGateway(configWith({ fleet: { enabled: false } }), {
        logger,
        home,
        ui: true,
      }),
    );
    expect(logs.filter(line => line.includes('fleet enabled'))).toEqual([]);
  });
});
