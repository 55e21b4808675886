// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about literal ${VAR} strings
import { describe, expect, it } from '@jest/globals';
import { deepMerge } from './deep-merge.js';
import { interpolateEnv } from './interpolate-env.js';
import { formatRouteTarget, parseRouteTarget } from './route-target.js';

describe('interpolateEnv', () => {
  const env = { API_KEY: 'sk-1', lower_name: 'lower', HOST: 'example.com' };

  it.each([
    ['$API_KEY', 'sk-1'],
    ['${API_KEY}', 'sk-1'],
    ['Bearer $API_KEY!', 'Bearer sk-1!'],
    ['https://${HOST}/v1', 'https://example.com/v1'],
    ['${lower_name}', 'lower'],
    ['$lower_name', '$lower_name'],
    ['$UNSET_VAR', '$UNSET_VAR'],
    ['${UNSET_VAR}', '${UNSET_VAR}'],
    ['$API_KEY$HOST', 'sk-1example.com'],
    ['no dollars', 'no dollars'],
    ['$', '$'],
  ])('%s → %s', (input, expected) => {
    expect(interpolateEnv(input, env)).toBe(expected);
  });

  it('recurses into arrays and objects, leaves keys and non-strings alone', () => {
    const input = {
      $API_KEY: ['$API_KEY', 3, true, null, { nested: '${HOST}' }],
      port: 3456,
    };
    expect(interpolateEnv(input, env)).toEqual({
      $API_KEY: ['sk-1', 3, true, null, { nested: 'example.com' }],
      port: 3456,
    });
    expect(input.$API_KEY[0]).toBe('$API_KEY');
  });
});

describe('parseRouteTarget / formatRouteTarget', () => {
  it.each([
    ['deepseek,deepseek-chat', { provider: 'deepseek', model: 'deepseek-chat' }],
    [
      'openrouter,anthropic/claude-sonnet-4',
      { provider: 'openrouter', model: 'anthropic/claude-sonnet-4' },
    ],
    ['ollama,qwen2.5-coder:latest', { provider: 'ollama', model: 'qwen2.5-coder:latest' }],
    ['p,model,with,commas', { provider: 'p', model: 'model,with,commas' }],
    [' p , m ', { provider: 'p', model: 'm' }],
  ])('%s', (input, expected) => {
    expect(parseRouteTarget(input)).toEqual(expected);
    expect(parseRouteTarget(formatRouteTarget(expected))).toEqual(expected);
  });

  it.each([['deepseek-chat'], [''], [',model'], ['provider,'], [' , ']])('rejects %j', input => {
    expect(parseRouteTarget(input)).toBeNull();
  });
});

describe('deepMerge', () => {
  it('merges plain objects, replaces arrays and scalars, removes undefined keys', () => {
    const base = { a: { b: 1, c: [1, 2], d: 'x' }, e: 1, keep: true };
    const merged = deepMerge(base, { a: { b: 2, c: [3] }, e: undefined, f: { g: 1 } });
    expect(merged).toEqual({ a: { b: 2, c: [3], d: 'x' }, keep: true, f: { g: 1 } });
    expect(base).toEqual({ a: { b: 1, c: [1, 2], d: 'x' }, e: 1, keep: true });
  });
});
