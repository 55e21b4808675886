import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createSandbox, type Sandbox } from '../../test/cli-harness.js';

describe('conduit activate / env', () => {
  let sandbox: Sandbox;
  let configFile: string;
  beforeEach(() => {
    sandbox = createSandbox();
    configFile = path.join(sandbox.root, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        PORT: 4999,
        APIKEY: 'inbound key',
        Providers: [
          {
            name: 'p',
            api_base_url: 'http://127.0.0.1:9/v1/chat/completions',
            api_key: 'k',
            models: ['m', 'small'],
          },
        ],
        Router: { default: 'p,m', background: 'p,small' },
      }),
    );
  });
  afterEach(async () => {
    await sandbox.dispose();
  });

  it('prints export lines a POSIX shell can eval', async () => {
    const result = await sandbox.run(['activate', '--config', configFile], {
      env: { SYNAPSE_PROJECT_ID: 'web' },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("export ANTHROPIC_BASE_URL='http://127.0.0.1:4999'");
    expect(result.stdout).toContain('unset ANTHROPIC_API_KEY');
    const shell = spawnSync(
      'sh',
      [
        '-c',
        `eval "$1"; printf '%s|%s|%s|%s' "$ANTHROPIC_AUTH_TOKEN" "\${ANTHROPIC_API_KEY-unset}" "$ANTHROPIC_DEFAULT_HAIKU_MODEL" "$ANTHROPIC_CUSTOM_HEADERS"`,
        'sh',
        result.stdout,
      ],
      { env: { PATH: process.env.PATH, ANTHROPIC_API_KEY: 'sk-ant-leak' }, encoding: 'utf8' },
    );
    expect(shell.stdout).toBe(
      'inbound key|unset|claude-haiku-conduit-background|x-synapse-project-id: web',
    );
  });

  it('has an env alias and fish/powershell syntax; rejects an unknown shell', async () => {
    const fish = await sandbox.run(['env', '--shell', 'fish', '--config', configFile]);
    expect(fish.stdout).toContain("set -gx ANTHROPIC_BASE_URL 'http://127.0.0.1:4999';");
    const powershell = await sandbox.run([
      'activate',
      '--shell',
      'powershell',
      '--config',
      configFile,
    ]);
    expect(powershell.stdout).toContain("$env:ANTHROPIC_BASE_URL = 'http://127.0.0.1:4999'");
    const bad = await sandbox.run(['activate', '--shell', 'tcsh', '--config', configFile]);
    expect(bad.code).toBe(64);
    expect(bad.stderr).toMatch(/Invalid values/);
  });

  it('prints OPENAI_BASE_URL / OPENAI_API_KEY with --openai', async () => {
    const result = await sandbox.run(['activate', '--openai', '--config', configFile]);
    expect(result.code).toBe(0);
    const shell = spawnSync(
      'sh',
      ['-c', `eval "$1"; printf '%s|%s' "$OPENAI_BASE_URL" "$OPENAI_API_KEY"`, 'sh', result.stdout],
      { env: { PATH: process.env.PATH }, encoding: 'utf8' },
    );
    expect(shell.stdout).toBe('http://127.0.0.1:4999/v1|inbound key');
    expect(result.stdout).not.toContain('ANTHROPIC_');
  });
});
