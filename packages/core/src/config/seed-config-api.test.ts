/**
 * The seed plan's configuration API (section 3.2), used as its snippets use it: `new
 * ConfigManager()`, `loadPreset`, `updateConfig`, `getConfig`, `validateConfig(): ValidationResult`,
 * and `ConfigPresetManager#loadBuiltinPreset` / `#validateConfig`.
 */
import { describe, expect, it } from '@jest/globals';
import {
  type ConduitConfig,
  ConfigError,
  ConfigManager,
  ConfigPresetManager,
  type ValidationResult,
} from '../index.js';

const anthropic = {
  name: 'anthropic',
  api_base_url: 'https://api.anthropic.com/v1/messages',
  api_key: 'sk-a',
  models: ['claude-3-5-sonnet-20241022', 'claude-3-5-haiku-20241022'],
};

describe('ConfigManager (seed plan)', () => {
  it('starts empty, loads the synapse preset, merges updates and validates', async () => {
    const manager = new ConfigManager();
    const empty: ValidationResult = manager.validateConfig();
    expect(empty).toEqual({
      valid: true,
      errors: [],
      warnings: [],
      issues: [],
    });

    await manager.loadPreset('synapse');
    manager.updateConfig({
      Providers: [anthropic],
      Router: { default: 'anthropic,claude-3-5-sonnet-20241022' },
      server: { port: 3456, healthCheck: true },
    });
    manager.updateConfig({ Router: { background: 'anthropic,claude-3-5-haiku-20241022' } });

    const config = manager.getConfig();
    expect(config.Router).toMatchObject({
      default: 'anthropic,claude-3-5-sonnet-20241022',
      background: 'anthropic,claude-3-5-haiku-20241022',
      // From the preset, under the user's keys.
      longContextThreshold: 50000,
    });
    expect(config.plugins.map(plugin => plugin.name)).toEqual(['synapse']);
    expect(config.server.port).toBe(3456);
    expect(manager.validateConfig().valid).toBe(true);
  });

  it('takes an initial config', () => {
    const initial: ConduitConfig = {
      Providers: [anthropic],
      Router: { default: 'anthropic,claude-3-5-sonnet-20241022' },
    };
    expect(new ConfigManager(initial).getConfig().Router.default).toBe(
      'anthropic,claude-3-5-sonnet-20241022',
    );
  });

  it('rejects an update that cannot work and keeps the previous config', () => {
    const manager = new ConfigManager({
      Providers: [anthropic],
      Router: { default: 'anthropic,claude-3-5-sonnet-20241022' },
    });
    expect(() => manager.updateConfig({ Router: { default: 'nope,model' } })).toThrow(ConfigError);
    expect(manager.getConfig().Router.default).toBe('anthropic,claude-3-5-sonnet-20241022');
  });

  it('rejects an unknown preset with the known ones', async () => {
    await expect(new ConfigManager().loadPreset('nope')).rejects.toThrow(/"synapse"/);
  });
});

describe('ConfigPresetManager', () => {
  it('returns a copy of a built-in preset', async () => {
    const presets = new ConfigPresetManager();
    const preset = await presets.loadBuiltinPreset('synapse');
    expect(preset.plugins).toEqual([{ name: 'synapse', enabled: true, source: 'builtin' }]);
    (preset.Router as Record<string, unknown>).longContextThreshold = 1;
    const again = await presets.loadBuiltinPreset('synapse');
    expect(again.Router).toEqual({ longContextThreshold: 50000 });
    expect(presets.listPresets()).toContain('synapse');
  });

  it('refuses an unknown preset, naming the known ones', async () => {
    await expect(new ConfigPresetManager().loadBuiltinPreset('turbo')).rejects.toThrow(
      /"turbo" is not a known preset[\s\S]*"synapse"/,
    );
  });

  it('validates a config into errors and warnings', () => {
    const presets = new ConfigPresetManager();
    const bad = presets.validateConfig({
      Providers: [anthropic],
      Router: { default: 'missing,model' },
    });
    expect(bad.valid).toBe(false);
    expect(bad.errors.join('\n')).toMatch(/Router\.default/);
    const warned = presets.validateConfig({
      Providers: [{ ...anthropic, api_key: '$UNSET_KEY_FOR_SEED_TEST' }],
      Router: { default: 'anthropic,claude-3-5-sonnet-20241022' },
    });
    // A key left as `$VAR` would be sent literally: refused, naming the variable and the fix.
    expect(warned.valid).toBe(false);
    expect(warned.errors.join('\n')).toMatch(/UNSET_KEY_FOR_SEED_TEST[\s\S]*export/);
    const noDefault = presets.validateConfig({ Providers: [anthropic], Router: {} });
    expect(noDefault.valid).toBe(true);
    expect(noDefault.warnings.join('\n')).toMatch(/Router\.default/);
  });
});
