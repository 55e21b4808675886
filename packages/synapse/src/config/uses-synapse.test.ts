import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '@conduit/core';
import { usesSynapse } from './uses-synapse.js';

describe('usesSynapse', () => {
  it.each([
    ['the synapse preset', { preset: 'synapse' }, true],
    ['a synapse section', { synapse: { budgets: {} } }, true],
    ['a synapse plugin entry', { plugins: [{ name: 'synapse', source: 'builtin' }] }, true],
    ['other plugins only', { plugins: [{ name: 'token-speed', source: 'builtin' }] }, false],
    ['nothing', {}, false],
  ])('%s → %s', (_name, config, expected) => {
    expect(usesSynapse(config)).toBe(expected);
  });

  it('reads a parsed config (the preset survives parsing)', () => {
    expect(usesSynapse(parseConfig({ preset: 'synapse' }))).toBe(true);
    expect(usesSynapse(parseConfig({}))).toBe(false);
  });
});
