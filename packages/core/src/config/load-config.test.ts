import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors/config-error.js';
import { resolveConduitHome } from './conduit-home.js';
import { loadConfig, loadConfigSync } from './load-config.js';

const json5Config = `// Conduit config, JSON5
{
  /* providers */
  Providers: [
    {
      name: 'deepseek',
      api_base_url: "https://api.deepseek.com/chat/completions",
      api_key: "$DEEPSEEK_API_KEY",
      models: ["deepseek-chat",],
    },
  ],
  Router: { default: "deepseek,deepseek-chat", }, // trailing commas everywhere
}
`;

describe('loadConfig', () => {
  let home: string;

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'conduit-home-'));
  });
  afterEach(() => {
    rmSync(home, { recursive: true, force: true });
  });

  function write(relative: string, text: string): string {
    const file = join(home, relative);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
    return file;
  }

  it('returns defaults with no providers when no file exists', async () => {
    const loaded = await loadConfig({ home, env: {} });
    expect(loaded).toMatchObject({ path: null, source: 'none' });
    expect(loaded.config.Providers).toEqual([]);
  });

  it('falls back to ~/.claude-code-router/config.json (JSON5, $VAR interpolation)', async () => {
    const file = write('.claude-code-router/config.json', json5Config);
    const loaded = await loadConfig({ home, env: { DEEPSEEK_API_KEY: 'sk-ccr' } });
    expect(loaded.source).toBe('ccr');
    expect(loaded.path).toBe(file);
    expect(loaded.config.Providers[0]).toMatchObject({
      name: 'deepseek',
      api_key: 'sk-ccr',
      models: ['deepseek-chat'],
    });
    expect(loaded.config.Router.default).toBe('deepseek,deepseek-chat');
  });

  it('refuses a key that references an unset variable, naming the key and the fix', async () => {
    write('.claude-code-router/config.json', json5Config);
    await expect(loadConfig({ home, env: {} })).rejects.toThrow(
      /Providers\[0\]\.api_key: references \$DEEPSEEK_API_KEY, which is not set[\s\S]*export DEEPSEEK_API_KEY=/,
    );
  });

  it('prefers ~/.conduit/config.json over the CCR file, and $CONDUIT_HOME over ~/.conduit', async () => {
    write('.claude-code-router/config.json', json5Config);
    const conduitFile = write('.conduit/config.json', '{ "PORT": 4000 }');
    const fromHome = await loadConfig({ home, env: {} });
    expect(fromHome).toMatchObject({ source: 'conduit', path: conduitFile });
    expect(fromHome.config.PORT).toBe(4000);

    const customFile = write('custom-home/config.json', '{ "PORT": 5000 }');
    const fromEnv = loadConfigSync({ home, env: { CONDUIT_HOME: join(home, 'custom-home') } });
    expect(fromEnv).toMatchObject({ source: 'conduit', path: customFile });
    expect(fromEnv.config.PORT).toBe(5000);
  });

  it('uses an explicit path first, and a missing explicit file is an error', async () => {
    write('.conduit/config.json', '{ "PORT": 4000 }');
    const explicit = write('elsewhere/my.json', '{ "PORT": 4100 }');
    const loaded = await loadConfig({ path: explicit, home, env: {} });
    expect(loaded).toMatchObject({ source: 'explicit', path: explicit });
    expect(loaded.config.PORT).toBe(4100);

    const missing = join(home, 'nope.json');
    await expect(loadConfig({ path: missing, home, env: {} })).rejects.toThrow(
      `the config file ${missing} does not exist`,
    );
    expect(() => loadConfigSync({ path: missing, home, env: {} })).toThrow(ConfigError);
  });

  it('reports a syntax error with file, line and column', async () => {
    const file = write(
      '.conduit/config.json',
      '{\n  "PORT": 3456,\n  "Router": { default: deepseek }\n}\n',
    );
    const error = await loadConfig({ home, env: {} }).catch((caught: unknown) => caught);
    expect(ConfigError.isInstance(error)).toBe(true);
    const message = (error as ConfigError).message;
    expect(message).toContain(file);
    expect(message).toContain('line 3, column 24');
    expect((error as ConfigError).source).toBe(file);
  });

  it('reports every validation problem of the file it loaded', async () => {
    const file = write(
      '.conduit/config.json',
      '{ "Providers": [], "Router": { "default": "deepseek,deepseek-chat", "think": "x" } }',
    );
    let error: unknown;
    try {
      loadConfigSync({ home, env: {} });
    } catch (caught) {
      error = caught;
    }
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).source).toBe(file);
    expect((error as ConfigError).issues.map(issue => issue.path)).toEqual([
      'Router.default',
      'Router.think',
    ]);
  });

  it('resolves the Conduit home from the environment', () => {
    expect(resolveConduitHome({}, '/home/me')).toBe('/home/me/.conduit');
    expect(resolveConduitHome({ CONDUIT_HOME: '/srv/conduit' }, '/home/me')).toBe('/srv/conduit');
    expect(resolveConduitHome({ CONDUIT_HOME: '~/conduit' }, '/home/me')).toBe('/home/me/conduit');
  });
});
