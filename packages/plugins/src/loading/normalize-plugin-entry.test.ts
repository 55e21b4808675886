import { homedir } from 'node:os';
import { describe, expect, it } from '@jest/globals';
import { normalizePluginEntry } from './normalize-plugin-entry.js';

const normalize = (entry: unknown) =>
  normalizePluginEntry(entry, { index: 0, isBuiltinName: name => name === 'model-allowlist' });
const inlinePlugin = { name: 'x' };

describe('normalizePluginEntry source inference', () => {
  it.each([
    [
      'a module object',
      { name: 'a', module: inlinePlugin },
      { source: 'inline', inlineModule: inlinePlugin },
    ],
    ['a factory', { name: 'a', module: normalize }, { source: 'inline', inlineModule: normalize }],
    [
      'a path',
      { name: 'a', path: 'plugins/a.mjs' },
      { source: 'file', specifier: 'plugins/a.mjs' },
    ],
    [
      'a path-like module',
      { name: 'a', module: './a.cjs' },
      { source: 'file', specifier: './a.cjs' },
    ],
    [
      'a bare .js module',
      { name: 'a', module: 'router.js' },
      { source: 'file', specifier: 'router.js' },
    ],
    [
      'a home path',
      { name: 'a', path: '~/a.mjs' },
      { source: 'file', specifier: `${homedir()}/a.mjs` },
    ],
    [
      'a builtin name',
      { name: 'model-allowlist' },
      { source: 'builtin', specifier: 'model-allowlist' },
    ],
    [
      'a builtin module',
      { name: 'guard', module: 'model-allowlist' },
      { source: 'builtin', specifier: 'model-allowlist' },
    ],
    [
      'a package name',
      { name: 'conduit-plugin-x' },
      { source: 'npm', specifier: 'conduit-plugin-x' },
    ],
    [
      'a scoped package module',
      { name: 'x', module: '@acme/plugin' },
      { source: 'npm', specifier: '@acme/plugin' },
    ],
    [
      'an explicit source',
      { name: 'model-allowlist', source: 'npm' },
      { source: 'npm', specifier: 'model-allowlist' },
    ],
  ])('%s', (_label, entry, expected) => {
    expect(normalize(entry)).toMatchObject({ enabled: true, config: {}, ...expected });
  });

  it('reads CCR v2 options as config and keeps enabled and hookTimeoutMs', () => {
    expect(
      normalize({ name: 'token-speed', enabled: false, options: { a: 1 }, hookTimeoutMs: 50 }),
    ).toEqual({
      name: 'token-speed',
      enabled: false,
      config: { a: 1 },
      hookTimeoutMs: 50,
      source: 'npm',
      specifier: 'token-speed',
    });
  });

  it.each([
    [null, 'must be an object'],
    [{ name: '  ' }, 'has no "name"'],
    [{ name: 'a', enabled: 'yes' }, '"enabled" must be true or false'],
    [{ name: 'a', config: [] }, '"config" (or "options") must be an object'],
    [{ name: 'a', hookTimeoutMs: 0 }, '"hookTimeoutMs" must be a positive number'],
    [{ name: 'a', path: 3 }, '"path" must be a string'],
    [{ name: 'a', source: 'git' }, '"source" must be one of file, npm, inline, builtin'],
    [{ name: 'a', source: 'inline' }, 'source "inline" needs a "module"'],
    [{ name: 'a', source: 'file' }, 'source "file" needs a "path"'],
  ])('rejects %j', (entry, message) => {
    expect(() => normalize(entry)).toThrow(message);
  });
});
