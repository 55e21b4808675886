import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createSandbox, type Sandbox } from '../../test/cli-harness.js';

describe('conduit config', () => {
  let sandbox: Sandbox;
  beforeEach(() => {
    sandbox = createSandbox();
  });
  afterEach(async () => {
    await sandbox.dispose();
  });

  it('init writes a valid starter config without asking when stdin is not a terminal, and refuses to overwrite', async () => {
    const init = await sandbox.run(['config', 'init']);
    expect(init.code).toBe(0);
    const file = path.join(sandbox.conduitHome, 'config.json');
    expect(init.stdout).toContain(`Wrote ${file}`);
    const written = JSON.parse(readFileSync(file, 'utf8')) as {
      Providers: Array<{ api_key: string }>;
      Router: { default: string };
    };
    expect(written.Providers[0]?.api_key).toBe('$OPENAI_API_KEY');
    expect(written.Router.default).toBe('openai,gpt-4.1');

    const again = await sandbox.run(['config', 'init']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists; use --force/);

    expect(statSync(file).mode & 0o777).toBe(0o600);
    chmodSync(file, 0o644); // as an editor or an older Conduit may have left it
    const forced = await sandbox.run([
      'config',
      'init',
      '--force',
      '--provider',
      'ollama',
      '--base-url',
      'http://127.0.0.1:11434/v1/chat/completions',
      '--api-key-env',
      'OLLAMA_KEY',
      '--model',
      'qwen3',
      '--background-model',
      '',
    ]);
    expect(forced.code).toBe(0);
    const replaced = JSON.parse(readFileSync(file, 'utf8')) as {
      Providers: Array<{ name: string; api_key: string; models: string[] }>;
      Router: Record<string, unknown>;
    };
    expect(replaced.Providers[0]).toMatchObject({
      name: 'ollama',
      api_key: '$OLLAMA_KEY',
      models: ['qwen3'],
    });
    expect(replaced.Router.background).toBeUndefined();
    // The config holds the key reference: private to the user, even when --force replaced a file.
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const validate = await sandbox.run(['config', 'validate'], { env: { OLLAMA_KEY: 'k' } });
    expect(validate.code).toBe(0);
    expect(validate.stdout).toMatch(/is valid \(1 provider\(s\)\)/);
  });

  it('validate exits 2 and lists every problem with its path and fix', async () => {
    const file = path.join(sandbox.root, 'broken.json');
    writeFileSync(
      file,
      `{
        // JSON5 comments are fine
        Providers: [{ name: "deepseek", api_base_url: "https://api.deepseek.com/chat/completions", api_key: "k", models: ["deepseek-chat"] }],
        Router: { default: "ghost,model-a", think: "deepseek,not-a-model" },
      }`,
    );
    const result = await sandbox.run(['config', 'validate', '--config', file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`Invalid configuration in ${file}`);
    expect(result.stderr).toMatch(/Router\.default: .*ghost/);
    expect(result.stderr).toMatch(/Router\.think: .*not-a-model/);
    expect(result.stderr).toMatch(/fix: /);

    const wrongType = path.join(sandbox.root, 'wrong-type.json');
    writeFileSync(wrongType, JSON.stringify({ PORT: 'not a number' }));
    const typeResult = await sandbox.run(['config', 'validate', '--config', wrongType]);
    expect(typeResult.code).toBe(2);
    expect(typeResult.stderr).toMatch(/PORT: must be a number/);

    const missing = await sandbox.run([
      'config',
      'validate',
      '--config',
      path.join(sandbox.root, 'nope.json'),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);

    const syntax = path.join(sandbox.root, 'syntax.json');
    writeFileSync(syntax, '{ "Providers": [ }');
    const syntaxResult = await sandbox.run(['config', 'validate', '--config', syntax]);
    expect(syntaxResult.code).toBe(2);
  });

  it('show redacts api keys, APIKEY, tokens, secrets and URL credentials', async () => {
    const file = path.join(sandbox.root, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        APIKEY: 'inbound-secret-value',
        PROXY_URL: 'http://user:proxy-password@127.0.0.1:7890',
        Providers: [
          {
            name: 'openrouter',
            api_base_url: 'https://openrouter.ai/api/v1/chat/completions',
            api_key: '$MY_OPENROUTER_KEY',
            api_keys: ['pool-key-one', 'pool-key-two'],
            models: ['m1'],
            headers: { 'X-Custom-Token': 'header-token-value', 'X-Title': 'visible-title' },
          },
        ],
        Router: { default: 'openrouter,m1' },
        synapse: { webhookSecret: 'synapse-secret-value' },
      }),
    );
    const result = await sandbox.run(['config', 'show', '--json', '--config', file], {
      env: { MY_OPENROUTER_KEY: 'sk-or-interpolated-real-key' },
    });
    expect(result.code).toBe(0);
    for (const secret of [
      'inbound-secret-value',
      'proxy-password',
      'sk-or-interpolated-real-key',
      'pool-key-one',
      'header-token-value',
      'synapse-secret-value',
    ]) {
      expect(result.stdout).not.toContain(secret);
    }
    const shown = JSON.parse(result.stdout) as {
      APIKEY: string;
      Providers: Array<Record<string, unknown>>;
    };
    expect(shown.APIKEY).toBe('[redacted]');
    expect(shown.Providers[0]?.api_key).toBe('[redacted]');
    expect(shown.Providers[0]?.api_keys).toEqual(['[redacted]', '[redacted]']);
    expect(shown.Providers[0]?.headers).toEqual({
      'X-Custom-Token': '[redacted]',
      'X-Title': 'visible-title',
    });
    expect(result.stdout).toContain('openrouter.ai');

    const human = await sandbox.run(['config', 'show', '--config', file], {
      env: { MY_OPENROUTER_KEY: 'sk-or-interpolated-real-key' },
    });
    expect(human.stdout.split('\n')[0]).toBe(`# ${file} (explicit); secrets shown as [redacted]`);
  });

  it('migrate imports a CCR config, keeps $VAR references and reports what it could not carry', async () => {
    const ccrHome = path.join(sandbox.home, '.claude-code-router');
    mkdirSync(path.join(ccrHome, 'presets', 'kimi'), { recursive: true });
    writeFileSync(
      path.join(ccrHome, 'config.json'),
      `{
        "LOG": true, "PORT": 3456, "APIKEY": "$CCR_APIKEY",
        "REWRITE_SYSTEM_PROMPT": "/home/me/prompt.md",
        "CUSTOM_ROUTER_PATH": "/home/me/router.js",
        "transformers": [{ "path": "/home/me/my-transformer.js" }],
        "providers": [{ "name": "deepseek", "api_base_url": "https://api.deepseek.com/chat/completions",
          "api_key": "\${DEEPSEEK_API_KEY}", "models": ["deepseek-chat"], "transformer": { "use": ["deepseek"] } }],
        "Router": { "default": "deepseek,deepseek-chat" },
        "StatusLine": { "enabled": true, "currentStyle": "default" },
      }`,
    );
    const result = await sandbox.run(['config', 'migrate'], {
      env: { DEEPSEEK_API_KEY: 'sk-real-deepseek-key', CCR_APIKEY: 'real-inbound' },
    });
    const target = path.join(sandbox.conduitHome, 'config.json');
    expect(result.stdout).toContain(`→ ${target}`);
    const written = readFileSync(target, 'utf8');
    expect(written).not.toContain('sk-real-deepseek-key');
    expect(written).not.toContain('real-inbound');
    const migrated = JSON.parse(written) as Record<string, unknown> & {
      Providers: Array<{ api_key: string }>;
    };
    expect(migrated.Providers[0]?.api_key).toBe(['${', 'DEEPSEEK_API_KEY}'].join(''));
    expect(migrated.APIKEY).toBe('$CCR_APIKEY');
    expect(migrated.StatusLine).toEqual({ enabled: true, currentStyle: 'default' });
    expect(migrated.REWRITE_SYSTEM_PROMPT).toBeUndefined();
    expect(migrated.CUSTOM_ROUTER_PATH).toBe('/home/me/router.js');
    const notCarried = result.stdout.slice(
      result.stdout.indexOf('Not carried over'),
      result.stdout.indexOf('please review'),
    );
    expect(notCarried).not.toMatch(/StatusLine/);
    expect(notCarried).toMatch(/- REWRITE_SYSTEM_PROMPT: /);
    expect(notCarried).toMatch(/- presets\/kimi: /);
    expect(result.stdout).toMatch(/please review[\s\S]*CUSTOM_ROUTER_PATH[\s\S]*transformers\[0\]/);

    const again = await sandbox.run(['config', 'migrate']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    expect(existsSync(target)).toBe(true);
  });

  it('migrate --dry-run prints the result and writes nothing; a missing source is a clear error', async () => {
    const source = path.join(sandbox.root, 'ccr.json');
    writeFileSync(
      source,
      JSON.stringify({
        Providers: [
          {
            name: 'p',
            api_base_url: 'http://127.0.0.1:9/v1/chat/completions',
            api_key: 'sk-literal-key-in-ccr-config-123',
            api_keys: ['$SECOND_KEY', 'literal-second-key'],
            headers: { Authorization: 'Bearer header-token-literal' },
            models: ['m'],
          },
        ],
        Router: { default: 'p,m' },
        PROXY_URL: 'http://user:proxy-password@proxy.example:3128',
      }),
    );
    const dry = await sandbox.run(['config', 'migrate', source, '--dry-run'], {
      env: { SECOND_KEY: 'second-key-from-env' },
    });
    expect(dry.code).toBe(0);
    const preview = JSON.parse(dry.stdout.slice(0, dry.stdout.indexOf('\nEverything')));
    expect(preview.Router).toEqual({ default: 'p,m' });
    // Literal keys are hidden in the preview; $VAR references stay visible.
    expect(preview.Providers[0]).toMatchObject({
      api_key: '[redacted]',
      api_keys: ['$SECOND_KEY', '[redacted]'],
      headers: { Authorization: '[redacted]' },
    });
    expect(dry.stdout).not.toContain('sk-literal-key-in-ccr-config-123');
    expect(dry.stdout).not.toContain('literal-second-key');
    expect(dry.stdout).not.toContain('header-token-literal');
    expect(dry.stdout).not.toContain('proxy-password');
    expect(dry.stdout).toContain('Everything was carried over.');
    expect(existsSync(path.join(sandbox.conduitHome, 'config.json'))).toBe(false);

    const missing = await sandbox.run([
      'config',
      'migrate',
      path.join(sandbox.root, 'absent.json'),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read the CCR config .*absent\.json: ENOENT/);
  });

  it('needs a subcommand and suggests one for a typo', async () => {
    const none = await sandbox.run(['config']);
    expect(none.code).toBe(64);
    const typo = await sandbox.run(['config', 'valdate']);
    expect(typo.code).toBe(64);
    expect(typo.stderr).toMatch(/validate/);
  });
});
