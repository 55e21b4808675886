import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../errors/config-error.js';
import { ConfigManager } from './config-manager.js';
import { deepMerge } from './deep-merge.js';
import { parseConfig, validateConfig } from './parse-config.js';

const deepseek = {
  name: 'deepseek',
  api_base_url: 'https://api.deepseek.com/chat/completions',
  api_key: 'sk-1',
  models: ['deepseek-chat'],
};
const base = { Providers: [deepseek], Router: { default: 'deepseek,deepseek-chat' } };

const errorsOf = (input: unknown, env: NodeJS.ProcessEnv = {}) =>
  validateConfig(input, { env }).filter(issue => issue.severity !== 'warning');

describe('secrets that reference an unset variable', () => {
  it('refuses APIKEY "$CONDUIT_APIKEY" when the variable is unset (no literal, guessable key)', () => {
    const input = { ...base, APIKEY: '$CONDUIT_APIKEY' };
    expect(errorsOf(input)).toEqual([
      expect.objectContaining({
        path: 'APIKEY',
        message: expect.stringContaining('$CONDUIT_APIKEY, which is not set'),
        hint: expect.stringContaining('export CONDUIT_APIKEY=...'),
      }),
    ]);
    expect(() => parseConfig(input, { env: {} })).toThrow(ConfigError);
    expect(parseConfig(input, { env: { CONDUIT_APIKEY: 'k-123' } }).APIKEY).toBe('k-123');
  });

  it('refuses unset variables in api_keys and headers too', () => {
    const input = {
      ...base,
      Providers: [
        { ...deepseek, api_keys: ['$SECOND_KEY'], headers: { 'x-org': 'Bearer $ORG_TOKEN' } },
      ],
    };
    expect(errorsOf(input).map(issue => issue.path)).toEqual([
      'Providers[0].api_keys[0]',
      'Providers[0].headers.x-org',
    ]);
  });

  it('refuses them on reload as well (ConfigManager.update keeps the previous config)', () => {
    const manager = new ConfigManager(base, { env: {} });
    expect(() => manager.update({ APIKEY: '$CONDUIT_APIKEY' })).toThrow(ConfigError);
    expect(manager.getConfig().APIKEY).toBeUndefined();
  });
});

describe('server.cors', () => {
  it('refuses cors: true without APIKEY, naming the fix', () => {
    expect(errorsOf({ ...base, server: { cors: true } })).toEqual([
      expect.objectContaining({
        path: 'server.cors',
        hint: expect.stringContaining('set "APIKEY", or list the allowed origins'),
      }),
    ]);
  });

  it('accepts cors: true with APIKEY, and an origin list without it', () => {
    expect(errorsOf({ ...base, APIKEY: 'k-1', server: { cors: true } })).toEqual([]);
    expect(errorsOf({ ...base, server: { cors: ['http://localhost:5173'] } })).toEqual([]);
  });
});

describe('prototype keys', () => {
  it.each([
    ['a top-level "__proto__"', '{"__proto__":{"polluted":true},"Providers":[]}', '__proto__'],
    [
      'a nested "constructor"',
      '{"Providers":[{"name":"x","api_base_url":"https://x.example/v1","models":["m"],"constructor":{"prototype":{}}}]}',
      'Providers[0].constructor',
    ],
    ['a "prototype" inside server', '{"server":{"prototype":{"x":1}}}', 'server.prototype'],
  ])('refuses %s, naming its path', (_label, text, path) => {
    const issues = validateConfig(JSON.parse(text), { env: {} });
    expect(issues).toEqual([
      expect.objectContaining({ path, message: expect.stringContaining('prototype pollution') }),
    ]);
    expect(() => parseConfig(JSON.parse(text), { env: {} })).toThrow(ConfigError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never lets deepMerge assign a prototype key', () => {
    const merged = deepMerge({ a: 1 }, JSON.parse('{"__proto__":{"polluted":true},"b":2}'));
    expect(merged).toEqual({ a: 1, b: 2 });
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect((merged as Record<string, unknown>).polluted).toBeUndefined();
  });
});
