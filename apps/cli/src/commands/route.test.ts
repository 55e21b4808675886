import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createSandbox, fixturesDirectory, type Sandbox } from '../../test/cli-harness.js';

const config = {
  Providers: [
    {
      name: 'deepseek',
      api_base_url: 'http://127.0.0.1:9/v1/chat/completions',
      api_key: 'sk-route-test-secret',
      models: ['deepseek-chat', 'deepseek-reasoner'],
    },
    {
      name: 'local',
      api_base_url: 'http://127.0.0.1:9/v1/chat/completions',
      api_key: 'x',
      models: ['qwen-small'],
    },
  ],
  Router: {
    default: 'deepseek,deepseek-chat',
    background: 'local,qwen-small',
    think: 'deepseek,deepseek-reasoner',
  },
};

describe('conduit route', () => {
  let sandbox: Sandbox;
  let configFile: string;
  beforeEach(() => {
    sandbox = createSandbox();
    configFile = path.join(sandbox.root, 'config.json');
    writeFileSync(configFile, JSON.stringify(config));
  });
  afterEach(async () => {
    await sandbox.dispose();
  });

  it('explains the decision for the Claude Code main-loop request', async () => {
    const result = await sandbox.run([
      'route',
      path.join(fixturesDirectory, 'cc-hi-01-messages.json'),
      '--explain',
      '--config',
      configFile,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Route:\s+deepseek,deepseek-chat/);
    expect(result.stdout).toMatch(/Reason:\s+default/);
    expect(result.stdout).toMatch(/Tokens:\s+\d{4,}/);
    // every rule is listed, the one that fired is marked
    for (const rule of [
      'explicit',
      'longContext',
      'subagent',
      'background',
      'webSearch',
      'think',
      'image',
    ]) {
      expect(result.stdout).toMatch(new RegExp(`· ${rule}: `));
    }
    expect(result.stdout).toMatch(/✔ default: /);
  });

  it('sends the haiku subagent and the background marker model to Router.background', async () => {
    const haiku = await sandbox.run([
      'route',
      path.join(fixturesDirectory, 'cc-agent-02-messages.json'),
      '--json',
      '--config',
      configFile,
    ]);
    expect(haiku.code).toBe(0);
    const decision = JSON.parse(haiku.stdout) as {
      decision: { provider: string; model: string; reason: string };
    };
    expect(decision.decision).toMatchObject({
      provider: 'local',
      model: 'qwen-small',
      reason: 'background',
    });

    const body = JSON.parse(
      (await import('node:fs')).readFileSync(
        path.join(fixturesDirectory, 'cc-webfetch-haikuenv-02-messages.json'),
        'utf8',
      ),
    ) as Record<string, unknown>;
    body.model = 'claude-haiku-conduit-background';
    const marker = await sandbox.run(
      ['route', '-', '--json', '--explain', '--config', configFile],
      { input: JSON.stringify(body) },
    );
    expect(marker.code).toBe(0);
    const parsed = JSON.parse(marker.stdout) as {
      decision: { reason: string };
      steps: Array<{ rule: string; fired: boolean }>;
      input: string;
    };
    expect(parsed.input).toBe('standard input');
    expect(parsed.decision.reason).toBe('background');
    expect(parsed.steps.find(step => step.fired)?.rule).toBe('background');
  });

  it('routes every Claude Code messages fixture without error', async () => {
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(fixturesDirectory).filter(name => name.endsWith('-messages.json'));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files.slice(0, 6)) {
      const result = await sandbox.run([
        'route',
        path.join(fixturesDirectory, file),
        '--json',
        '--config',
        configFile,
      ]);
      expect({ file, code: result.code, stderr: result.stderr }).toEqual({
        file,
        code: 0,
        stderr: '',
      });
      const parsed = JSON.parse(result.stdout) as {
        decision: { provider: string };
        tokenCount: number;
      };
      expect(['deepseek', 'local']).toContain(parsed.decision.provider);
      expect(parsed.tokenCount).toBeGreaterThan(0);
    }
  });

  it('rejects input that is not a Messages request, and an unknown explicit provider', async () => {
    const notJSON = await sandbox.run(['route', '-', '--config', configFile], { input: '{nope' });
    expect(notJSON.code).toBe(1);
    expect(notJSON.stderr).toMatch(/standard input is not valid JSON/);

    const noMessages = await sandbox.run(['route', '-', '--config', configFile], {
      input: '{"model":"x"}',
    });
    expect(noMessages.code).toBe(1);
    expect(noMessages.stderr).toMatch(/no "messages" array/);

    const unknown = await sandbox.run(['route', '-', '--config', configFile], {
      input: JSON.stringify({
        model: 'nosuch,model-x',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no route/);
  });

  it('reports an invalid config with exit code 2', async () => {
    writeFileSync(
      configFile,
      JSON.stringify({ Providers: [], Router: { default: 'ghost,model' } }),
    );
    const result = await sandbox.run([
      'route',
      path.join(fixturesDirectory, 'cc-hi-01-messages.json'),
      '--config',
      configFile,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Router\.default/);
  });
});
