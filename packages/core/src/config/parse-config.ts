import { type ConfigIssue, ConfigError } from '../errors/config-error.js';
import { analyzeConfig, type ConfigAnalysisOptions, isFatalIssue } from './analyze-config.js';
import type { ConduitConfig } from './config-schema.js';

/** Options of {@link parseConfig}. */
export type ParseConfigOptions = ConfigAnalysisOptions;

/**
 * Parses a raw config object (as read from JSON): CCR aliases, preset, `$VAR` interpolation, schema
 * defaults, then semantic validation.
 *
 * @throws ConfigError listing every problem (path, message, fix) when the config cannot work.
 * Warnings do not throw; get them from {@link validateConfig}.
 * @example
 * const config = parseConfig({
 *   Providers: [{ name: 'deepseek', api_base_url: 'https://api.deepseek.com/chat/completions',
 *     api_key: '$DEEPSEEK_API_KEY', models: ['deepseek-chat'] }],
 *   Router: { default: 'deepseek,deepseek-chat' },
 * });
 */
export function parseConfig(input: unknown, options: ParseConfigOptions = {}): ConduitConfig {
  const { config, issues } = analyzeConfig(input, options);
  const errors = issues.filter(isFatalIssue);
  if (config === null || errors.length > 0) {
    throw new ConfigError({ issues: errors, source: options.source });
  }
  return config;
}

/**
 * Returns every problem of a raw config (errors and warnings, see `ConfigIssue.severity`); an empty
 * list means it is fine. Never throws for a bad config. Core's checks only (plus
 * `options.extraValidators`): `@conduit/server`'s `validateConduitConfig` adds the server's (e.g.
 * transformer names) and is what `conduit config validate` and `conduit start` use.
 */
export function validateConfig(input: unknown, options: ConfigAnalysisOptions = {}): ConfigIssue[] {
  return analyzeConfig(input, options).issues;
}
