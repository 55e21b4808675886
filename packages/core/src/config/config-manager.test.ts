import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors/config-error.js';
import { ConfigManager } from './config-manager.js';
import { synapsePreset } from './presets/synapse-preset.js';

const deepseek = {
  name: 'deepseek',
  api_base_url: 'https://api.deepseek.com/chat/completions',
  api_key: '$DEEPSEEK_API_KEY',
  models: ['deepseek-chat', 'deepseek-reasoner'],
};
const base = { Providers: [deepseek], Router: { default: 'deepseek,deepseek-chat' } };
const env = { DEEPSEEK_API_KEY: 'sk-1' };

describe('ConfigManager', () => {
  const homes: string[] = [];
  afterEach(() => {
    for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
  });

  it('parses on construction and rejects a config that cannot work', () => {
    const manager = new ConfigManager(base, { env });
    expect(manager.getConfig().Providers[0]?.api_key).toBe('sk-1');
    expect(() => new ConfigManager({ ...base, Router: { default: 'x,y' } }, { env })).toThrow(
      ConfigError,
    );
  });

  it('deep-merges updates (objects merge, arrays replace) and keeps env references', () => {
    const manager = new ConfigManager(base, { env });
    const updated = manager.update({
      Router: { think: 'deepseek,deepseek-reasoner' },
      Providers: [{ ...deepseek, models: ['deepseek-chat', 'deepseek-reasoner', 'deepseek-v4'] }],
    });
    expect(updated.Router).toMatchObject({
      default: 'deepseek,deepseek-chat',
      think: 'deepseek,deepseek-reasoner',
    });
    expect(updated.Providers[0]?.models).toEqual([
      'deepseek-chat',
      'deepseek-reasoner',
      'deepseek-v4',
    ]);
    expect(updated.Providers[0]?.api_key).toBe('sk-1');
    expect(manager.getInput()).toMatchObject({ Providers: [{ api_key: '$DEEPSEEK_API_KEY' }] });
    expect(manager.update({ Router: { think: undefined } }).Router.think).toBeUndefined();
  });

  it('keeps the old config when an update is invalid, and does not notify', () => {
    const manager = new ConfigManager(base, { env });
    const listener = jest.fn();
    manager.onChange(listener);
    const before = manager.getConfig();
    expect(() => manager.update({ Router: { background: 'ollama,qwen' } })).toThrow(
      /Router.background: "ollama,qwen" names provider "ollama", which is not in Providers/,
    );
    expect(manager.getConfig()).toBe(before);
    expect(listener).not.toHaveBeenCalled();
    expect(() => manager.update([] as never)).toThrow(ConfigError);
  });

  it('notifies listeners with the new and previous config until unsubscribed', () => {
    const manager = new ConfigManager(base, { env });
    const seen: Array<[string | undefined, string | undefined]> = [];
    const failing = jest.fn(() => {
      throw new Error('listener bug');
    });
    manager.onChange(failing);
    const unsubscribe = manager.onChange((config, previous) => {
      seen.push([config.Router.think, previous.Router.think]);
    });
    manager.update({ Router: { think: 'deepseek,deepseek-reasoner' } });
    unsubscribe();
    manager.update({ Router: { think: 'deepseek,deepseek-chat' } });
    expect(seen).toEqual([['deepseek,deepseek-reasoner', undefined]]);
    expect(failing).toHaveBeenCalledTimes(2);
  });

  it('validate() returns warnings and errors of the current config', () => {
    const manager = new ConfigManager({ Providers: [deepseek] }, { env });
    expect(manager.validate()).toEqual([
      expect.objectContaining({ path: 'Router.default', severity: 'warning' }),
    ]);
  });

  it('applies the built-in synapse preset under the user config', () => {
    const manager = new ConfigManager(
      { ...base, Router: { ...base.Router, longContextThreshold: 70000 } },
      { env },
    );
    const config = manager.applyPreset('synapse');
    expect(config.preset).toBe('synapse');
    expect(config.plugins.map(plugin => plugin.name)).toEqual(['synapse']);
    expect(config.synapse).toMatchObject({ agentMapping: { reasoning: 'think' } });
    expect(config.Router.longContextThreshold).toBe(70000);
    expect(config.Router.default).toBe('deepseek,deepseek-chat');
    expect(
      new ConfigManager({ ...base, preset: 'synapse' }, { env }).getConfig().Router
        .longContextThreshold,
    ).toBe(50000);
  });

  it('supports custom presets and rejects unknown ones', () => {
    const manager = new ConfigManager(base, {
      env,
      presets: { cheap: { Router: { background: 'deepseek,deepseek-chat' } } },
    });
    expect(manager.applyPreset('cheap').Router.background).toBe('deepseek,deepseek-chat');
    expect(() => manager.applyPreset('missing')).toThrow(/preset: "missing" is not a known preset/);
    expect(manager.getConfig().preset).toBe('cheap');
  });

  it('loads from a file with fromFile', async () => {
    const home = mkdtempSync(join(tmpdir(), 'conduit-manager-'));
    homes.push(home);
    mkdirSync(join(home, '.conduit'));
    writeFileSync(join(home, '.conduit', 'config.json'), JSON.stringify(base));
    const manager = await ConfigManager.fromFile({ home, env });
    expect(manager.getConfig().Router.default).toBe('deepseek,deepseek-chat');
    await expect(
      ConfigManager.fromFile({ home, env, path: join(home, 'missing.json') }),
    ).rejects.toThrow(ConfigError);
  });
});

describe('synapse preset', () => {
  it('is identical to config/synapse-preset.json at the repository root', () => {
    const here = fileURLToPath(new URL('.', import.meta.url));
    const file = resolve(here, '../../../../config/synapse-preset.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(synapsePreset);
  });
});
