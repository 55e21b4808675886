import {
  type ConduitConfig,
  type ConfigAnalysisOptions,
  type ConfigIssue,
  ConfigManager,
  type ConfigManagerOptions,
  type ConfigValidator,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
  parseConfig,
  validateConfig,
} from '@conduit/core';
import { createDefaultTransformerRegistry } from '../providers/transformers/builtin-transformers.js';
import type { TransformerRegistry } from '../providers/transformers/transformer-registry.js';
import { validateTransformerConfig } from '../providers/transformers/validate-transformer-config.js';
import { validateServerSettings } from './server-settings.js';

/** The server's own config checks: transformer names and options, `server.*` settings. */
export function conduitConfigValidators(registry: TransformerRegistry): ConfigValidator[] {
  return [config => validateTransformerConfig(config, registry), validateServerSettings];
}

/** Core's analysis options, plus the transformer registry the server's checks use. */
export interface ConduitConfigOptions extends ConfigAnalysisOptions {
  /** Where the config came from, for messages (same as `source`). */
  configPath?: string;
  /** Transformers the config may name (default: the built-in ones). */
  registry?: TransformerRegistry;
}

/**
 * The one validation of a Conduit config: core's spec checks plus the server's (transformer names
 * and options, `server.*`). `conduit config validate`, `conduit start`, hot reload,
 * {@link createConduitConfigManager} and {@link validateConduitConfig} all validate with these
 * options, so none accepts a config another refuses.
 */
export function withConduitChecks(options: ConduitConfigOptions = {}): ConfigAnalysisOptions {
  const { registry = createDefaultTransformerRegistry(), configPath, ...analysis } = options;
  return {
    ...analysis,
    source: analysis.source ?? configPath,
    extraValidators: [...conduitConfigValidators(registry), ...(analysis.extraValidators ?? [])],
  };
}

/** Every problem of a raw config, warnings included; never throws for a bad config. */
export function validateConduitConfig(
  input: unknown,
  options: ConduitConfigOptions = {},
): ConfigIssue[] {
  return validateConfig(input, withConduitChecks(options));
}

/**
 * Core's `parseConfig` with the server's checks ({@link withConduitChecks}).
 * @throws ConfigError listing every problem when the config cannot work.
 */
export function parseConduitConfig(
  input: unknown,
  options: ConduitConfigOptions = {},
): ConduitConfig {
  return parseConfig(input, withConduitChecks(options));
}

/**
 * Core's `loadConfig` (file lookup, JSON5, `$VAR`) with the server's checks.
 * @throws ConfigError for an unreadable or invalid config.
 */
export function loadConduitConfig(
  options: LoadConfigOptions & Omit<ConduitConfigOptions, 'source' | 'env'> = {},
): Promise<LoadedConfig> {
  const { path, home, env, ...checks } = options;
  return loadConfig({ path, home, env, ...withConduitChecks(checks) });
}

/** A core `ConfigManager` whose every change is validated with the server's checks too. */
export function createConduitConfigManager(
  input: Record<string, unknown>,
  options: ConfigManagerOptions & { registry?: TransformerRegistry } = {},
): ConfigManager {
  return new ConfigManager(input, { ...options, ...withConduitChecks(options) });
}
