import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type MockOpenAIProvider, startMockOpenAIProvider } from '@conduit/test-utils';
import {
  createSandbox,
  findFreePort,
  killFromPidFile,
  type Sandbox,
} from '../../test/cli-harness.js';

/** A stand-in claude that sends one request to ANTHROPIC_BASE_URL and records what it got. */
const fakeClaude = `#!/usr/bin/env node
const { writeFileSync } = require('node:fs');
(async () => {
  const response = await fetch(process.env.ANTHROPIC_BASE_URL + '/v1/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer ' + process.env.ANTHROPIC_AUTH_TOKEN },
    body: JSON.stringify({ model: 'claude-sonnet-4', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
  });
  writeFileSync(process.env.FAKE_CLAUDE_RECORD, JSON.stringify({
    argv: process.argv.slice(2), baseURL: process.env.ANTHROPIC_BASE_URL, status: response.status,
  }));
})();
`;

describe('conduit preset (built CLI): export → install round trip, conduit <preset>', () => {
  let author: Sandbox;
  let user: Sandbox;
  let upstream: MockOpenAIProvider;

  beforeAll(async () => {
    upstream = await startMockOpenAIProvider();
  });
  afterAll(async () => {
    await upstream.close();
  });
  beforeEach(async () => {
    upstream.reset();
    author = createSandbox();
    user = createSandbox();
    mkdirSync(author.conduitHome, { recursive: true });
    writeFileSync(
      path.join(author.conduitHome, 'config.json'),
      JSON.stringify({
        PORT: await findFreePort(),
        APIKEY: 'inbound-secret-123',
        Providers: [
          {
            name: 'mock',
            api_base_url: upstream.endpoint,
            api_key: 'sk-literal-secret-456',
            models: ['m1', 'm2'],
          },
          {
            name: 'deepseek',
            api_base_url: upstream.endpoint,
            api_key: '$DEEPSEEK_API_KEY',
            models: ['deepseek-chat'],
          },
        ],
        Router: { default: 'mock,m1', think: 'deepseek,deepseek-chat' },
        usage: { enabled: false },
      }),
    );
  });
  afterEach(async () => {
    await killFromPidFile(path.join(user.conduitHome, 'presets', 'team2', 'conduit.pid'));
    await author.dispose();
    await user.dispose();
  });

  it('never writes a secret into the preset, and installs it with secrets from the environment', async () => {
    const exported = await author.run(['preset', 'export', 'team', '--description', 'Team routes']);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('1 secret(s) replaced by placeholders');
    expect(exported.stdout).toContain('left out (per machine): PORT, APIKEY, usage');
    const presetFolder = path.join(author.conduitHome, 'presets', 'team');
    const manifestText = readFileSync(path.join(presetFolder, 'manifest.json'), 'utf8');
    expect(manifestText).not.toContain('sk-literal-secret-456');
    expect(manifestText).not.toContain('inbound-secret-123');
    expect(statSync(path.join(presetFolder, 'manifest.json')).mode & 0o777).toBe(0o600);
    const manifest = JSON.parse(manifestText);
    expect(manifest).toMatchObject({
      name: 'team',
      version: '1.0.0',
      description: 'Team routes',
      schema: [{ id: 'mock_api_key', type: 'password', required: true, env: 'MOCK_API_KEY' }],
      Router: { default: 'mock,m1', think: 'deepseek,deepseek-chat' },
    });
    expect(manifest.Providers.map((provider: { api_key: string }) => provider.api_key)).toEqual([
      '{{mock_api_key}}',
      '$DEEPSEEK_API_KEY',
    ]);
    expect((await author.run(['preset', 'export', 'team'])).code).toBe(1);

    // Another machine: without the secret in the environment (and no terminal) it says what it needs.
    const refused = await user.run(['preset', 'install', presetFolder, '--name', 'team2']);
    expect(refused.code).toBe(64);
    expect(refused.stderr).toContain('MOCK_API_KEY');
    const env = { MOCK_API_KEY: 'sk-user-key-789', DEEPSEEK_API_KEY: 'sk-d' };
    const installed = await user.run(['preset', 'install', presetFolder, '--name', 'team2'], {
      env,
    });
    expect(installed.stderr).toBe('');
    expect(installed.code).toBe(0);
    const installedFolder = path.join(user.conduitHome, 'presets', 'team2');
    const configText = readFileSync(path.join(installedFolder, 'config.json'), 'utf8');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal reference written
    expect(JSON.parse(configText).Providers[0].api_key).toBe('${MOCK_API_KEY}');
    expect(configText).not.toContain('sk-user-key-789');
    expect(statSync(path.join(installedFolder, 'config.json')).mode & 0o777).toBe(0o600);

    const list = await user.run(['preset', 'list']);
    expect(list.stdout).toBe('• team2 (v1.0.0): Team routes\n');
    const info = await user.run(['preset', 'info', 'team2']);
    expect(info.stdout).toContain('Models: mock,m1  mock,m2  deepseek,deepseek-chat');
    expect(info.stdout).toContain('Inputs: mock_api_key (MOCK_API_KEY)');

    // conduit <preset>: claude runs against the preset's own gateway, the key comes from the env.
    const claudePath = path.join(user.root, 'claude.cjs');
    writeFileSync(claudePath, fakeClaude);
    chmodSync(claudePath, 0o755);
    const record = path.join(user.root, 'record.json');
    const launched = await user.run(['team2', '-p', 'hi'], {
      env: { ...env, CLAUDE_PATH: claudePath, FAKE_CLAUDE_RECORD: record },
    });
    expect(launched.code).toBe(0);
    const seen = JSON.parse(readFileSync(record, 'utf8'));
    expect(seen.status).toBe(200);
    expect(seen.argv.slice(2)).toEqual(['-p', 'hi']);
    expect(upstream.requests.at(-1)?.headers.authorization).toBe('Bearer sk-user-key-789');
    expect((upstream.requests.at(-1)?.json as { model?: string } | undefined)?.model).toBe('m1');

    const deleted = await user.run(['preset', 'delete', 'team2']);
    expect(deleted.stdout).toBe('✔ deleted preset "team2"\n');
    expect((await user.run(['preset', 'list'])).stdout).toContain('No presets');
  });

  it('refuses preset names that are commands or paths', async () => {
    expect((await author.run(['preset', 'export', 'model'])).stderr).toContain(
      'is a conduit command',
    );
    expect((await author.run(['preset', 'export', '../x'])).code).toBe(64);
  });
});
