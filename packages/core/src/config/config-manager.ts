import { ConfigError, type ConfigIssue } from '../errors/config-error.js';
import type { Logger } from '../types/logger.js';
import { type ConfigAnalysisOptions, isFatalIssue, analyzeConfig } from './analyze-config.js';
import type { ConduitConfig, ConduitConfigInput } from './config-schema.js';
import { deepMerge } from './deep-merge.js';
import { isPlainObject } from './interpolate-env.js';
import { type LoadConfigOptions, readConfigSource } from './load-config.js';

/** Options of {@link ConfigManager}. */
export interface ConfigManagerOptions extends ConfigAnalysisOptions {
  /** Receives errors thrown by change listeners (they never break an update). */
  logger?: Logger;
}

/** Called after every successful change with the new and the previous config. */
export type ConfigChangeListener = (config: ConduitConfig, previous: ConduitConfig) => void;

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
 */
export class ConfigManager {
  private input: Record<string, unknown>;
  private config: ConduitConfig;
  private readonly options: ConfigManagerOptions;
  private readonly listeners = new Set<ConfigChangeListener>();

  /** @throws ConfigError when `input` cannot work. */
  constructor(
    input: ConduitConfigInput | Record<string, unknown>,
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
  getConfig(): ConduitConfig {
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
  update(partial: ConduitConfigInput | Record<string, unknown>): ConduitConfig {
    if (!isPlainObject(partial)) {
      throw new ConfigError({
        source: this.options.source,
        issues: [{ path: '', message: 'an update must be a plain object.' }],
      });
    }
    return this.replace(deepMerge(this.input, partial));
  }

  /** Selects a preset (built-in or from `options.presets`); the config's own keys still win. */
  applyPreset(name: string): ConduitConfig {
    return this.replace({ ...this.input, preset: name });
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

  private replace(nextInput: Record<string, unknown>): ConduitConfig {
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

  private parse(input: Record<string, unknown>): ConduitConfig {
    const { config, issues } = analyzeConfig(input, this.options);
    const errors = issues.filter(isFatalIssue);
    if (config === null || errors.length > 0) {
      throw new ConfigError({ issues: errors, source: this.options.source });
    }
    return config;
  }
}
