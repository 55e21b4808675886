import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createSandbox, findFreePort, type Sandbox } from '../../test/cli-harness.js';
import { type MockOpenAIServer, startMockOpenAIServer } from '../../test/mock-openai-server.js';

interface Recorded {
  argv: string[];
  env: Record<string, string | undefined>;
  stdinIsTTY: boolean | undefined;
  health: number;
}

/**
 * A stand-in `claude`: records its arguments, environment and whether Conduit answers at
 * ANTHROPIC_BASE_URL, then exits with $FAKE_CLAUDE_EXIT.
 */
const fakeClaude = `#!/usr/bin/env node
const { writeFileSync } = require('node:fs');
(async () => {
  const health = await fetch(process.env.ANTHROPIC_BASE_URL + '/health').then(r => r.status, () => 0);
  writeFileSync(process.env.FAKE_CLAUDE_RECORD, JSON.stringify({
    argv: process.argv.slice(2), env: process.env, stdinIsTTY: process.stdin.isTTY, health,
  }));
  process.exit(Number(process.env.FAKE_CLAUDE_EXIT || 0));
})();
`;

describe('conduit code', () => {
  let sandbox: Sandbox;
  let upstream: MockOpenAIServer;
  let configFile: string;
  let claudePath: string;
  let recordFile: string;
  let port: number;

  beforeAll(async () => {
    upstream = await startMockOpenAIServer();
  });
  afterAll(async () => {
    await upstream.close();
  });
  beforeEach(async () => {
    sandbox = createSandbox();
    port = await findFreePort();
    configFile = path.join(sandbox.root, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        PORT: port,
        APIKEY: 'inbound-secret',
        API_TIMEOUT_MS: 123456,
        Providers: [
          {
            name: 'mock',
            api_base_url: `${upstream.url}/v1/chat/completions`,
            api_key: 'k',
            models: ['big', 'small'],
          },
        ],
        Router: { default: 'mock,big', background: 'mock,small' },
        usage: { enabled: false },
      }),
    );
    claudePath = path.join(sandbox.root, 'fake claude.cjs');
    writeFileSync(claudePath, fakeClaude);
    chmodSync(claudePath, 0o755);
    recordFile = path.join(sandbox.root, 'record.json');
  });
  afterEach(async () => {
    await sandbox.dispose();
  });

  const runCode = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    sandbox.run(['--config', configFile, 'code', ...args], {
      env: { CLAUDE_PATH: claudePath, FAKE_CLAUDE_RECORD: recordFile, ...env },
    });
  const recorded = () => JSON.parse(readFileSync(recordFile, 'utf8')) as Recorded;

  it('starts the daemon, then passes every argument to claude untouched, with the Conduit environment', async () => {
    const args = [
      '-p',
      'hello world',
      '--model',
      'x',
      'a b',
      'it\'s "quoted" $HOME `ls`',
      '--',
      '--config',
      'code',
      '',
    ];
    const result = await runCode(args, {
      ANTHROPIC_API_KEY: 'sk-ant-must-not-leak',
      SYNAPSE_PROJECT_ID: 'web',
      SYNAPSE_AGENT_TYPE: 'coding',
      ANTHROPIC_CUSTOM_HEADERS: 'x-team: blue',
      NO_PROXY: 'corp.example',
      // Dropped from the sandbox (a CI runner sets it), so the test proves conduit leaves CI alone.
      CI: undefined,
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/started the gateway in the background \(PID \d+\)/);
    const { argv, env, health } = recorded();
    expect(argv[0]).toBe('--settings');
    expect(argv.slice(2)).toEqual(args);
    const settingsFile = argv[1] ?? '';
    expect(statSync(settingsFile).mode & 0o777).toBe(0o600);
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
    expect(settings.statusLine).toMatchObject({ type: 'command', padding: 0 });
    // The status line's own CommonJS entry, with the config; it asks the running gateway.
    expect(settings.statusLine.command).toMatch(/dist\/statusline\.cjs --config .*config\.json$/);
    const line = spawnSync('sh', ['-c', settings.statusLine.command], {
      input: JSON.stringify({ session_id: 'never-seen', model: { display_name: 'Opus' } }),
      env: { PATH: process.env.PATH, HOME: sandbox.home, ...recorded().env },
      encoding: 'utf8',
    });
    expect(line).toMatchObject({ status: 0, stdout: 'Opus · ↑0 ↓0\n', stderr: '' });
    expect(health).toBe(200);
    expect(env.ANTHROPIC_BASE_URL).toBe(`http://127.0.0.1:${port}`);
    expect(env.ANTHROPIC_AUTH_TOKEN).toBe('inbound-secret');
    expect('ANTHROPIC_API_KEY' in env).toBe(false);
    expect(JSON.stringify(env)).not.toContain('sk-ant-must-not-leak');
    expect(env).toMatchObject({
      API_TIMEOUT_MS: '123456',
      DISABLE_TELEMETRY: '1',
      DISABLE_COST_WARNINGS: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      ANTHROPIC_DEFAULT_HAIKU_MODEL: 'claude-haiku-conduit-background',
      ANTHROPIC_CUSTOM_HEADERS:
        'x-team: blue\nx-synapse-project-id: web\nx-synapse-agent-type: coding',
    });
    expect(env.NO_PROXY?.split(',')).toEqual(['corp.example', '127.0.0.1', 'localhost', '::1']);
    // NON_INTERACTIVE_MODE is off and CI is not in conduit's environment: conduit must not set it.
    expect('CI' in env).toBe(false);

    // the daemon keeps running for the next session; a second run reuses it
    const again = await runCode(['--version']);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
    expect(recorded().argv).toEqual(['--settings', settingsFile, '--version']);
  });

  it('marks onboarding complete and the folder trusted on a fresh machine (0600), and never touches a completed one', async () => {
    const claudeJson = path.join(sandbox.home, '.claude.json');
    const folder = realpathSync(sandbox.root);
    const fresh = await runCode(['-p', 'hi']);
    expect(fresh.code).toBe(0);
    expect(fresh.stderr).toContain(`onboarding marked complete in ${claudeJson}`);
    expect(fresh.stderr).toContain(`folder trusted: ${folder}`);
    expect(JSON.parse(readFileSync(claudeJson, 'utf8'))).toEqual({
      hasCompletedOnboarding: true,
      theme: 'dark',
      projects: { [folder]: { hasTrustDialogAccepted: true } },
    });
    expect(statSync(claudeJson).mode & 0o777).toBe(0o600);

    const completed = '{"hasCompletedOnboarding":true,"theme":"light","projects":{}}';
    writeFileSync(claudeJson, completed);
    await runCode(['-p', 'hi']);
    expect(readFileSync(claudeJson, 'utf8')).toBe(completed);

    // Claude Code ran once but onboarding was never finished: merge, keep the rest, back up.
    const partial = { numStartups: 3, theme: 'light-daltonized', projects: { '/x': { a: 1 } } };
    writeFileSync(claudeJson, JSON.stringify(partial));
    const merged = await runCode(['-p', 'hi']);
    expect(merged.stderr).toMatch(/backup: .*\.claude\.json\.conduit-backup-/);
    expect(JSON.parse(readFileSync(claudeJson, 'utf8'))).toEqual({
      ...partial,
      hasCompletedOnboarding: true,
      projects: { '/x': { a: 1 }, [folder]: { hasTrustDialogAccepted: true } },
    });
    const backups = readdirSync(sandbox.home).filter(name => name.includes('conduit-backup'));
    expect(backups).toHaveLength(1);
    expect(JSON.parse(readFileSync(path.join(sandbox.home, backups[0] ?? ''), 'utf8'))).toEqual(
      partial,
    );
  });

  it('leaves the folder untrusted with --no-folder-trust (removed from claude args) or CONDUIT_NO_FOLDER_TRUST=1', async () => {
    const claudeJson = path.join(sandbox.home, '.claude.json');
    const flagged = await runCode(['--no-folder-trust', '-p', 'hi']);
    expect(flagged.code).toBe(0);
    expect(recorded().argv).toEqual(['--settings', expect.any(String), '-p', 'hi']);
    expect(JSON.parse(readFileSync(claudeJson, 'utf8'))).toEqual({
      hasCompletedOnboarding: true,
      theme: 'dark',
    });

    rmSync(claudeJson);
    await runCode(['-p', 'hi'], { CONDUIT_NO_FOLDER_TRUST: '1' });
    expect(JSON.parse(readFileSync(claudeJson, 'utf8'))).not.toHaveProperty('projects');
  });

  it('adds no status line with --no-statusline (removed from claude args) or when the user has one', async () => {
    await runCode(['--no-statusline', '-p', 'hi', '--', '--no-statusline']);
    expect(recorded().argv).toEqual(['-p', 'hi', '--', '--no-statusline']);

    mkdirSync(path.join(sandbox.home, '.claude'), { recursive: true });
    writeFileSync(
      path.join(sandbox.home, '.claude', 'settings.json'),
      JSON.stringify({ statusLine: { type: 'command', command: 'my-line' } }),
    );
    await runCode(['-p', 'hi']);
    expect(recorded().argv).toEqual(['-p', 'hi']);
  });

  it("exits with claude's exit code and honours NON_INTERACTIVE_MODE", async () => {
    const failed = await runCode(['-p', 'x'], {
      FAKE_CLAUDE_EXIT: '42',
      NON_INTERACTIVE_MODE: 'true',
    });
    expect(failed.code).toBe(42);
    const { env, stdinIsTTY } = recorded();
    expect(env).toMatchObject({
      CI: 'true',
      FORCE_COLOR: '0',
      NODE_NO_READLINE: '1',
      TERM: 'dumb',
    });
    expect(stdinIsTTY).toBeUndefined();
  });

  it('refuses a malformed SYNAPSE_* with a usage error, before starting anything', async () => {
    const result = await runCode(['-p', 'hi'], { SYNAPSE_COST_LIMITS: '{"daily":"5$"}' });
    expect(result.code).toBe(64);
    expect(result.stderr).toMatch(
      /^conduit: Environment variable SYNAPSE_COST_LIMITS is invalid \(daily: must be a number of US dollars\)/,
    );
    expect(existsSync(recordFile)).toBe(false);
    expect(existsSync(path.join(sandbox.conduitHome, 'conduit.pid'))).toBe(false);
  });

  it('reports a missing claude binary with exit code 127', async () => {
    const result = await runCode(['-p', 'hi'], {
      CLAUDE_PATH: path.join(sandbox.root, 'no-such-claude'),
    });
    expect(result.code).toBe(127);
    expect(result.stderr).toMatch(/claude not found .*no-such-claude.*CLAUDE_PATH/);
  });
});
