import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type MockOpenAIProvider, startMockOpenAIProvider } from '@conduit/test-utils';
import { createSandbox, findFreePort, type Sandbox } from '../../test/cli-harness.js';

describe('conduit model (built CLI)', () => {
  let sandbox: Sandbox;
  let upstream: MockOpenAIProvider;
  let configFile: string;
  let port: number;

  beforeAll(async () => {
    upstream = await startMockOpenAIProvider();
  });
  afterAll(async () => {
    await upstream.close();
  });
  beforeEach(async () => {
    upstream.reset();
    sandbox = createSandbox();
    port = await findFreePort();
    mkdirSync(sandbox.conduitHome, { recursive: true });
    configFile = path.join(sandbox.conduitHome, 'config.json');
    // JSON5 as users write it, with a $VAR key that must survive the rewrite.
    writeFileSync(
      configFile,
      `{
        // my gateway
        PORT: ${port}, LOG: false, usage: { enabled: false },
        Providers: [
          { name: 'deepseek', api_base_url: '${upstream.endpoint}', api_key: '$DEEPSEEK_API_KEY',
            models: ['deepseek-chat', 'deepseek-reasoner'] },
        ],
        Router: { default: 'deepseek,deepseek-chat' },
      }`,
    );
  });
  afterEach(async () => {
    await sandbox.dispose();
  });

  const env = { DEEPSEEK_API_KEY: 'sk-deepseek-secret' };

  it('model set writes the slot atomically with a backup, keeping $VAR references', async () => {
    const result = await sandbox.run(['model', 'set', 'think', 'deepseek,deepseek-reasoner'], {
      env,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^✔ wrote .*config\.json \(backup: .*config\.json\..*\.bak\)/);
    const written = JSON.parse(readFileSync(configFile, 'utf8'));
    expect(written.Router).toEqual({
      default: 'deepseek,deepseek-chat',
      think: 'deepseek,deepseek-reasoner',
    });
    expect(written.Providers[0].api_key).toBe('$DEEPSEEK_API_KEY');
    expect(readFileSync(configFile, 'utf8')).not.toContain('sk-deepseek-secret');
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
    const backups = readdirSync(sandbox.conduitHome).filter(name => name.endsWith('.bak'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(path.join(sandbox.conduitHome, backups[0] ?? ''), 'utf8')).toContain(
      '// my gateway',
    );

    const list = await sandbox.run(['model', 'list', '--json'], { env });
    expect(JSON.parse(list.stdout)).toMatchObject({
      slots: {
        default: 'deepseek,deepseek-chat',
        think: 'deepseek,deepseek-reasoner',
        image: null,
      },
      choices: ['deepseek,deepseek-chat', 'deepseek,deepseek-reasoner'],
    });
  });

  it('refuses an unknown route or slot, naming the problem, and writes nothing', async () => {
    const before = readFileSync(configFile, 'utf8');
    const badRoute = await sandbox.run(['model', 'set', 'think', 'deepseek,nope'], { env });
    expect(badRoute.code).toBe(2);
    expect(badRoute.stderr).toMatch(/Router\.think.*nope/s);
    expect(badRoute.stderr).toContain('Nothing was written.');
    const badSlot = await sandbox.run(['model', 'set', 'thinking', 'deepseek,deepseek-chat'], {
      env,
    });
    expect(badSlot.code).toBe(64);
    expect(badSlot.stderr).toContain('unknown Router slot "thinking"');
    expect(readFileSync(configFile, 'utf8')).toBe(before);
    expect(readdirSync(sandbox.conduitHome).filter(name => name.endsWith('.bak'))).toEqual([]);
  });

  it('a running gateway routes with the new slot right after model set (hot reload)', async () => {
    expect((await sandbox.run(['start', '--daemon'], { env })).code).toBe(0);
    const client = new Anthropic({
      baseURL: `http://127.0.0.1:${port}`,
      apiKey: 'x',
      maxRetries: 0,
    });
    const ask = async () => {
      await client.messages.create({
        model: 'claude-sonnet-4',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      });
      return (upstream.requests.at(-1)?.json as { model?: string } | undefined)?.model;
    };
    expect(await ask()).toBe('deepseek-chat');
    expect(
      (await sandbox.run(['model', 'set', 'default', 'deepseek,deepseek-reasoner'], { env })).code,
    ).toBe(0);
    // The watcher applies the file shortly after the write; poll instead of sleeping blindly.
    let model: string | undefined;
    for (let attempt = 0; attempt < 50 && model !== 'deepseek-reasoner'; attempt++) {
      model = await ask();
      if (model !== 'deepseek-reasoner') await new Promise(resolve => setTimeout(resolve, 200));
    }
    expect(model).toBe('deepseek-reasoner');
  });
});
