// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal ${VAR} strings
import { describe, expect, it } from '@jest/globals';
import { ConfigError, type ConfigIssue } from '../errors/config-error.js';
import { parseConfig, validateConfig } from './parse-config.js';

const deepseek = {
  name: 'deepseek',
  api_base_url: 'https://api.deepseek.com/chat/completions',
  api_key: 'sk-1',
  models: ['deepseek-chat', 'deepseek-reasoner'],
};
const ollama = {
  name: 'ollama',
  api_base_url: 'http://localhost:11434/v1/chat/completions',
  api_key: 'ollama',
  models: ['qwen2.5-coder:latest'],
};
const valid = { Providers: [deepseek, ollama], Router: { default: 'deepseek,deepseek-chat' } };

function errorsOf(input: unknown): ConfigIssue[] {
  return validateConfig(input, { env: {} }).filter(issue => issue.severity !== 'warning');
}

describe('validateConfig', () => {
  it('accepts a valid CCR config with no issues', () => {
    expect(validateConfig(valid, { env: {} })).toEqual([]);
  });

  it('names the unknown provider of a Router slot and lists the configured ones', () => {
    const issues = errorsOf({ Providers: [ollama], Router: { default: 'deepseek,deepseek-chat' } });
    expect(issues).toEqual([
      {
        path: 'Router.default',
        message: '"deepseek,deepseek-chat" names provider "deepseek", which is not in Providers.',
        hint: 'use one of the configured providers ("ollama"), or add a provider named "deepseek" to Providers.',
      },
    ]);
    const error = (() => {
      try {
        parseConfig(
          { Providers: [ollama], Router: { default: 'deepseek,deepseek-chat' } },
          { env: {}, source: '/x/config.json' },
        );
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).message).toContain(
      'Router.default: "deepseek,deepseek-chat" names provider "deepseek", which is not in Providers',
    );
    expect((error as ConfigError).source).toBe('/x/config.json');
  });

  it('reports a model missing from the provider, with the models to choose from', () => {
    expect(errorsOf({ ...valid, Router: { default: 'deepseek,deepseek-coder' } })).toEqual([
      {
        path: 'Router.default',
        message:
          '"deepseek,deepseek-coder" names model "deepseek-coder", which is not in the models of provider "deepseek".',
        hint: 'add "deepseek-coder" to Providers[0].models, or use one of "deepseek-chat", "deepseek-reasoner".',
      },
    ]);
  });

  it('reports a route without a comma', () => {
    const [issue] = errorsOf({ ...valid, Router: { default: 'deepseek-chat' } });
    expect(issue?.path).toBe('Router.default');
    expect(issue?.message).toBe('"deepseek-chat" is not a "provider,model" route.');
    expect(issue?.hint).toContain('"deepseek,deepseek-chat"');
  });

  it('matches provider and model names case-insensitively, like explicit routes', () => {
    expect(errorsOf({ ...valid, Router: { default: 'DeepSeek,DEEPSEEK-CHAT' } })).toEqual([]);
  });

  it('accepts any model for a provider without a models list', () => {
    const passthrough = {
      name: 'anthropic',
      api_base_url: 'https://api.anthropic.com/v1/messages',
    };
    expect(
      errorsOf({ Providers: [passthrough], Router: { default: 'anthropic,claude-x' } }),
    ).toEqual([]);
  });

  it('reports duplicate provider names and invalid URLs', () => {
    const issues = errorsOf({
      Providers: [deepseek, { ...deepseek, name: 'DeepSeek', api_base_url: 'api.deepseek.com' }],
      Router: { default: 'deepseek,deepseek-chat' },
    });
    expect(issues.map(issue => issue.path)).toEqual([
      'Providers[1].name',
      'Providers[1].api_base_url',
    ]);
    expect(issues[0]?.message).toContain('"DeepSeek" is used by Providers[0] too');
    expect(issues[1]?.message).toBe('"api.deepseek.com" is not a valid http(s) URL.');
    expect(
      errorsOf({ ...valid, Providers: [{ ...deepseek, api_base_url: 'ftp://x.y/z' }] })[0]?.path,
    ).toBe('Providers[0].api_base_url');
  });

  it('validates every Router slot, fallback entries and custom rule routes', () => {
    const issues = errorsOf({
      ...valid,
      Router: {
        default: 'deepseek,deepseek-chat',
        background: 'nope,x',
        think: 'deepseek,nope',
        longContext: 'x',
        webSearch: 'nope,y',
        image: 'nope,z',
        customRules: [
          {
            name: 'big',
            route: 'nope,big',
            conditions: [{ field: 'tokenCount', operator: 'gt', value: 1 }],
          },
        ],
      },
      fallback: {
        default: ['ollama,qwen2.5-coder:latest', 'nope,a'],
        defualt: ['deepseek,deepseek-chat'],
      },
    });
    expect(issues.map(issue => issue.path)).toEqual([
      'Router.background',
      'Router.think',
      'Router.longContext',
      'Router.webSearch',
      'Router.image',
      'fallback.default[1]',
      'fallback.defualt',
      'Router.customRules[0].route',
    ]);
    expect(issues[6]?.message).toBe(
      '"defualt" is neither a routing scenario nor a "provider,model" target, so this fallback list is never used.',
    );
  });

  it('accepts fallback lists keyed by a configured provider,model and checks both sides', () => {
    expect(
      errorsOf({
        ...valid,
        fallback: { 'deepseek,deepseek-chat': ['ollama,qwen2.5-coder:latest'] },
      }),
    ).toEqual([]);
    const issues = errorsOf({
      ...valid,
      fallback: {
        'deepseek,nope': ['ollama,qwen2.5-coder:latest'],
        'deepseek,deepseek-chat': ['ghost,model'],
      },
    });
    expect(issues.map(issue => issue.path)).toEqual([
      'fallback["deepseek,nope"]',
      'fallback["deepseek,deepseek-chat"][0]',
    ]);
  });

  it('defaults resilience.allKeysCooling to use-soonest and rejects unknown values', () => {
    expect(parseConfig(valid).resilience.allKeysCooling).toBe('use-soonest');
    expect(() => parseConfig({ ...valid, resilience: { allKeysCooling: 'wait' } })).toThrow(
      /allKeysCooling/,
    );
  });

  it('checks custom rule fields, numeric operators, regexes and duplicate names', () => {
    const rule = (conditions: unknown[], name = 'r') => ({
      name,
      route: 'ollama,qwen2.5-coder:latest',
      conditions,
    });
    const issues = errorsOf({
      ...valid,
      Router: {
        default: 'deepseek,deepseek-chat',
        customRules: [
          rule([{ field: 'body.model', operator: 'eq', value: 'x' }], 'a'),
          rule([{ field: 'tokenCount', operator: 'gt', value: 'many' }], 'b'),
          rule([{ field: 'message', operator: 'matches', value: '([a-z' }], 'c'),
          rule([{ field: 'metadata.agentType', operator: 'eq', value: 'coding' }], 'c'),
        ],
      },
    });
    expect(issues.map(issue => [issue.path, issue.message])).toEqual([
      ['Router.customRules[0].conditions[0].field', '"body.model" is not a field rules can test.'],
      [
        'Router.customRules[1].conditions[0].value',
        'operator "gt" compares numbers, but the value is "many".',
      ],
      [
        'Router.customRules[2].conditions[0].value',
        expect.stringContaining('is not a usable regular expression'),
      ],
      ['Router.customRules[3].name', '"c" is used by another rule too.'],
    ]);
  });

  it('turns schema errors into path, readable message and hint — all of them at once', () => {
    const issues = errorsOf({
      PORT: '3456',
      LOG: 'true',
      Providers: [
        { name: '', api_base_url: 'https://x.y/z', models: 'deepseek-chat' },
        { api_base_url: 'https://x.y' },
      ],
      Router: { longContextThreshold: -5 },
      LOG_LEVEL: 'loud',
      transformers: [{ path: 5 }],
    });
    const byPath = Object.fromEntries(issues.map(issue => [issue.path, issue]));
    expect(byPath.PORT).toEqual({
      path: 'PORT',
      message: 'must be a number, but it is the string "3456".',
      hint: 'remove the quotes: 3456.',
    });
    expect(byPath.LOG?.hint).toBe('remove the quotes: true.');
    expect(byPath['Providers[0].name']?.message).toBe('must not be empty.');
    expect(byPath['Providers[0].models']?.message).toBe(
      'must be an array, but it is the string "deepseek-chat".',
    );
    expect(byPath['Providers[0].models']?.hint).toBe('wrap the value in [ ].');
    expect(byPath['Providers[1].name']).toEqual({
      path: 'Providers[1].name',
      message: 'is required (a string).',
      hint: 'add "name" here.',
    });
    expect(byPath['Router.longContextThreshold']?.message).toContain('must be at least');
    expect(byPath.LOG_LEVEL?.hint).toContain('"debug"');
    expect(byPath['transformers[0].path']?.message).toBe('must be a string, but it is number 5.');
    expect(issues).toHaveLength(8);
  });

  it('rejects a config that is not an object', () => {
    expect(errorsOf([1, 2])[0]?.message).toBe(
      'the config must be a JSON object, but it is an array.',
    );
    expect(() => parseConfig('{}')).toThrow(ConfigError);
  });

  it('refuses unset env vars in keys, and warns about a missing Router.default', () => {
    const input = { Providers: [{ ...deepseek, api_key: '$DEEPSEEK_API_KEY' }] };
    const issues = validateConfig(input, { env: {} });
    expect(issues.map(issue => [issue.path, issue.severity])).toEqual([
      ['Providers[0].api_key', undefined],
      ['Router.default', 'warning'],
    ]);
    expect(issues[0]?.hint).toBe(
      'export DEEPSEEK_API_KEY=... before starting Conduit (or reloading), or write the value in the config.',
    );
    expect(() => parseConfig(input, { env: {} })).toThrow(ConfigError);
    expect(parseConfig(input, { env: { DEEPSEEK_API_KEY: 'sk-9' } }).Providers[0]?.api_key).toBe(
      'sk-9',
    );
  });

  it('runs extra validators (the server adds transformer checks this way)', () => {
    const issues = validateConfig(valid, {
      env: {},
      extraValidators: [
        config =>
          config.Providers.map((_, index) => ({
            path: `Providers[${index}].transformer`,
            message: 'unknown transformer.',
          })),
      ],
    });
    expect(issues.map(issue => issue.path)).toEqual([
      'Providers[0].transformer',
      'Providers[1].transformer',
    ]);
    expect(() =>
      parseConfig(valid, { env: {}, extraValidators: [() => [{ path: 'x', message: 'bad.' }]] }),
    ).toThrow(/x: bad\./);
  });
});

describe('parseConfig', () => {
  it('applies schema defaults', () => {
    const config = parseConfig({}, { env: {} });
    expect(config.Providers).toEqual([]);
    expect(config.Router.longContextThreshold).toBe(60000);
    expect(config.Router.customRules).toEqual([]);
    expect(config.server.cors).toBe(false);
  });

  it('accepts CCR aliases: lowercase providers, Plugins, v2 plugin options, empty Router slots', () => {
    const config = parseConfig(
      {
        providers: [deepseek],
        Router: { default: 'deepseek,deepseek-chat', background: '', think: '' },
        Plugins: [{ name: 'token-speed', enabled: true, options: { unit: 'ms' } }],
      },
      { env: {} },
    );
    expect(config.Providers.map(provider => provider.name)).toEqual(['deepseek']);
    expect(config.Router.background).toBeUndefined();
    expect(config.plugins[0]).toMatchObject({
      name: 'token-speed',
      enabled: true,
      config: { unit: 'ms' },
    });
    expect('providers' in config).toBe(false);
  });

  it('warns when both Providers and providers are set', () => {
    const issues = validateConfig({ ...valid, providers: [ollama] }, { env: {} });
    expect(issues).toEqual([expect.objectContaining({ path: 'providers', severity: 'warning' })]);
  });

  it('interpolates $VAR and ${VAR} everywhere before validating', () => {
    const config = parseConfig(
      {
        Providers: [
          { ...deepseek, api_key: '${KEY}', api_base_url: 'https://$HOST_NAME/chat/completions' },
        ],
        Router: { default: 'deepseek,deepseek-chat' },
        APIKEY: '$INBOUND',
      },
      { env: { KEY: 'sk-2', HOST_NAME: 'api.example.com', INBOUND: 'secret' } },
    );
    expect(config.Providers[0]).toMatchObject({
      api_key: 'sk-2',
      api_base_url: 'https://api.example.com/chat/completions',
    });
    expect(config.APIKEY).toBe('secret');
  });
});
