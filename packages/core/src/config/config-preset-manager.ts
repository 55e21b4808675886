import { ConfigError } from '../errors/config-error.js';
import { analyzeConfig, type ConfigAnalysisOptions } from './analyze-config.js';
import type { ConduitConfigInput } from './config-schema.js';
import { builtInPresets } from './presets/index.js';
import { toValidationResult, type ValidationResult } from './validation-result.js';

/**
 * The seed plan's preset API: reads Conduit's built-in presets (and extra ones passed in) and
 * validates whole configs. A config can also select a preset itself with `"preset": "<name>"`.
 *
 * @example
 * const presets = new ConfigPresetManager();
 * const synapse = await presets.loadBuiltinPreset('synapse'); // { Router: {…}, plugins: [{ name: 'synapse', … }], … }
 * presets.validateConfig({ preset: 'synapse', Router: { default: 'anthropic,claude-3-5-sonnet-20241022' } });
 */
export class ConfigPresetManager {
  private readonly options: ConfigAnalysisOptions;

  /** `options.presets` adds presets (they shadow built-in ones of the same name). */
  constructor(options: ConfigAnalysisOptions = {}) {
    this.options = options;
  }

  /** Names of the presets this manager knows. */
  listPresets(): string[] {
    return Object.keys({ ...builtInPresets, ...this.options.presets });
  }

  /**
   * A copy of the preset's config, as written (merge it under your own config, or select it with
   * `preset`).
   * @throws ConfigError naming the known presets when `name` is not one of them.
   */
  async loadBuiltinPreset(name: string): Promise<ConduitConfigInput> {
    const presets: Record<string, unknown> = { ...builtInPresets, ...this.options.presets };
    const preset = Object.hasOwn(presets, name) ? presets[name] : undefined;
    if (preset === undefined || preset === null || typeof preset !== 'object') {
      throw new ConfigError({
        issues: [
          {
            path: 'preset',
            message: `"${name}" is not a known preset.`,
            hint: `use one of ${this.listPresets()
              .map(known => `"${known}"`)
              .join(', ')}.`,
          },
        ],
      });
    }
    return structuredClone(preset) as ConduitConfigInput;
  }

  /** Every problem of `config` (errors and warnings); never throws for a bad config. */
  validateConfig(config: unknown): ValidationResult {
    return toValidationResult(analyzeConfig(config, this.options).issues);
  }
}
