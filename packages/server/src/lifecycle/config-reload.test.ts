import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Anthropic from '@anthropic-ai/sdk';
import { type MockOpenAIProvider, startMockOpenAIProvider } from '@conduit/test-utils';
import type { ConduitServer } from '../conduit-server.js';
import { run } from '../run.js';

async function eventually(check: () => boolean, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise(resolve => setTimeout(resolve, 25));
  }
}

describe('config file hot reload under run()', () => {
  let upstream: MockOpenAIProvider;
  let directory: string;
  let configPath: string;
  let server: ConduitServer;
  const errors: Array<{ message: string; details?: Record<string, unknown> }> = [];
  const config = (models: string[], defaultModel: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      Providers: [
        { name: 'mock', api_base_url: upstream.endpoint, api_key: 'sk-reload-key', models },
      ],
      Router: { default: `mock,${defaultModel}` },
      ...extra,
    });

  beforeAll(async () => {
    upstream = await startMockOpenAIProvider();
    directory = await mkdtemp(join(tmpdir(), 'conduit-reload-'));
    configPath = join(directory, 'config.json');
    await writeFile(configPath, config(['model-a', 'model-b'], 'model-a'));
    server = await run({
      configPath,
      port: 0,
      host: '127.0.0.1',
      handleSignals: false,
      logger: {
        trace() {},
        debug() {},
        info() {},
        warn() {},
        error: (message, details) => errors.push({ message, details }),
      },
    });
  });
  afterAll(async () => {
    await server.stop();
    await upstream.close();
    await rm(directory, { recursive: true, force: true });
  });

  const ask = async () => {
    const client = new Anthropic({ baseURL: server.url!, apiKey: 'unused', maxRetries: 0 });
    const { response } = await client.messages
      .create({ model: 'claude-x', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    return response.headers.get('x-conduit-model');
  };

  it('applies a changed file to new requests', async () => {
    expect(await ask()).toBe('model-a');
    await writeFile(configPath, config(['model-a', 'model-b'], 'model-b'));
    await eventually(() => server.config.Router.default === 'mock,model-b');
    expect(await ask()).toBe('model-b');
    expect((upstream.requests.at(-1)!.json as { model: string }).model).toBe('model-b');
  });

  it('rejects an invalid file, logs every problem and keeps serving the old config', async () => {
    await writeFile(
      configPath,
      config(['model-a'], 'model-z', { server: { watchConfig: 'sometimes' } }),
    );
    await eventually(() => errors.some(entry => entry.message.includes('config change rejected')));
    const rejection = errors.find(entry => entry.message.includes('config change rejected'))!;
    const issues = rejection.details?.issues as Array<{ path: string }>;
    expect(issues.map(issue => issue.path).sort()).toEqual([
      'Router.default',
      'server.watchConfig',
    ]);
    expect(server.config.Router.default).toBe('mock,model-b');
    expect(await ask()).toBe('model-b');

    await writeFile(configPath, '{ "Providers": [ oops');
    await eventually(() => errors.filter(entry => entry.message.includes('rejected')).length >= 2);
    expect(await ask()).toBe('model-b');
  });
});
