import { ConfigError, type ConfigIssue } from '../errors/config-error.js';
import type { Logger } from '../types/logger.js';
import { type ConfigAnalysisOptions, isFatalIssue, analyzeConfig } from './analyze-config.js';
import type { ParsedConduitConfig, ConduitConfigInput } from './config-schema.js';
import { deepMerge } from './deep-merge.js';
import { isPlainObject } from './interpolate-env.js';
import { type LoadConfigOptions, readConfigSource } from './load-config.js';
import { toValidationResult, type ValidationResult } from './validation-result.js';

/** Options of {@link ConfigManager}. */
export interface ConfigManagerOptions extends ConfigAnalysisOptions {
  /** Receives errors thrown by change listeners (they never break an update). */
  logger?: Logger;
}

/** Called after every successful change with the new and the previous config. */
export type ConfigChangeListener = (
  config: ParsedConduitConfig,
  previous: ParsedConduitConfig,
) => void;

/**
 * Holds the current config and changes it safely: every change is validated as a whole, and an
 * invalid result throws a ConfigError while the previous config stays in force.
 *
 * Updates merge into the config *as written* (before `$VAR` interpolation and defaults), so
 * environment references survive and defaults keep following the schema.
 *
 * @example
 * const manager = await ConfigManager.fromFile();
 * const unsubscribe = manager.onChange(config => router.updateConfig(config));
 * manager.update({ Router: { think: 'deepseek,deepseek-reasoner' } });
 *
 * // The seed plan's spelling (aliases of the methods above):
 * const config = new ConfigManager();
 * await config.loadPreset('synapse');
 * config.updateConfig({ Router: { default: 'anthropic,claude-3-5-sonnet-20241022' } });
 * const { valid, errors } = config.validateConfig();
 */
export class ConfigManager {
  private input: Record<string, unknown>;
  private config: ParsedConduitConfig;
  private readonly options: ConfigManagerOptions;
  private readonly listeners = new Set<ConfigChangeListener>();

  /** @throws ConfigError when `input` cannot work. Without `input`, starts from an empty config. */
  constructor(
    input: ConduitConfigInput | Record<string, unknown> = {},
    options: ConfigManagerOptions = {},
  ) {
    this.options = options;
    this.input = isPlainObject(input) ? { ...input } : (input as Record<string, unknown>);
    this.config = this.parse(this.input);
  }

  /** Loads the file {@link loadConfig} would load and manages it. */
  static async fromFile(
    options: LoadConfigOptions & Omit<ConfigManagerOptions, 'env' | 'source'> = {},
  ): Promise<ConfigManager> {
    const found = await readConfigSource(options);
    return new ConfigManager(found.raw as Record<string, unknown>, {
      ...options,
      source: found.path ?? 'defaults',
    });
  }

  /** The current parsed config (treat it as read-only). */
  getConfig(): ParsedConduitConfig {
    return this.config;
  }

  /** The config as written, before interpolation and defaults. */
  getInput(): Readonly<Record<string, unknown>> {
    return this.input;
  }

  /**
   * Deep-merges `partial` (plain objects merge, arrays are replaced, `undefined` removes a key) and
   * validates the result.
   * @throws ConfigError when the result cannot work; the current config is kept.
   */
  update(partial: ConduitConfigInput | Record<string, unknown>): ParsedConduitConfig {
    if (!isPlainObject(partial)) {
      throw new ConfigError({
        source: this.options.source,
        issues: [{ path: '', message: 'an update must be a plain object.' }],
      });
    }
    return this.replace(deepMerge(this.input, partial));
  }

  /** Selects a preset (built-in or from `options.presets`); the config's own keys still win. */
  applyPreset(name: string): ParsedConduitConfig {
    return this.replace({ ...this.input, preset: name });
  }

  /** Seed-plan alias of {@link applyPreset}: selects a built-in preset by name. */
  async loadPreset(presetName: string): Promise<void> {
    this.applyPreset(presetName);
  }

  /** Seed-plan alias of {@link update}. */
  updateConfig(updates: ConduitConfigInput | Record<string, unknown>): void {
    this.update(updates);
  }

  /** The current config's problems as the seed plan's {@link ValidationResult}. */
  validateConfig(): ValidationResult {
    return toValidationResult(this.validate());
  }

  /** Every issue of the current config, warnings included (an empty list when all is well). */
  validate(): ConfigIssue[] {
    return analyzeConfig(this.input, this.options).issues;
  }

  /** Subscribes to changes; returns the function that unsubscribes. */
  onChange(listener: ConfigChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private replace(nextInput: Record<string, unknown>): ParsedConduitConfig {
    const next = this.parse(nextInput);
    const previous = this.config;
    this.input = nextInput;
    this.config = next;
    for (const listener of [...this.listeners]) {
      try {
        listener(next, previous);
      } catch (error) {
        this.options.logger?.warn('config change listener failed', {
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return next;
  }

  private parse(input: Record<string, unknown>): ParsedConduitConfig {
    const { config, issues } = analyzeConfig(input, this.options);
    const errors = issues.filter(isFatalIssue);
    if (config === null || errors.length > 0) {
      throw new ConfigError({ issues: errors, source: this.options.source });
    }
    return config;
  }
}
