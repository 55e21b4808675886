import type { ConduitConfigInput, ParsedConduitConfig } from './config-schema.js';
import { isPlainObject } from './interpolate-env.js';
import { type ParseConfigOptions, parseConfig } from './parse-config.js';

/**
 * True when `config` has the shape only `parseConfig` produces (every defaulted section present),
 * e.g. a parsed config or a spread copy of one. Parsing such a config again would interpolate
 * `$VAR` references a second time, so it is used as it is.
 */
export function isParsedConfig(config: unknown): config is ParsedConduitConfig {
  if (!isPlainObject(config)) return false;
  const { Providers, Router, plugins, transformers, server, usage, resilience } = config;
  return (
    Array.isArray(Providers) &&
    Array.isArray(plugins) &&
    Array.isArray(transformers) &&
    isPlainObject(Router) &&
    Array.isArray(Router.customRules) &&
    typeof Router.longContextThreshold === 'number' &&
    isPlainObject(server) &&
    typeof server.bodyLimit === 'number' &&
    isPlainObject(usage) &&
    typeof usage.batchSize === 'number' &&
    isPlainObject(resilience)
  );
}

/** A parsed config as it is; anything else (a config as written) through `parseConfig`. */
export function asParsedConfig(
  config: ParsedConduitConfig | ConduitConfigInput,
  options: ParseConfigOptions = {},
): ParsedConduitConfig {
  return isParsedConfig(config) ? config : parseConfig(config, options);
}
