import { type ParsedConduitConfig, type ConfigValidator, parseConfig } from '@conduit/core';
import { createDefaultTransformerRegistry } from '../providers/transformers/builtin-transformers.js';
import type { TransformerRegistry } from '../providers/transformers/transformer-registry.js';
import { validateTransformerConfig } from '../providers/transformers/validate-transformer-config.js';
import { validateServerSettings } from './server-settings.js';

/** The server's own config checks: transformer names and options, `server.*` settings. */
export function conduitConfigValidators(registry: TransformerRegistry): ConfigValidator[] {
  return [config => validateTransformerConfig(config, registry), validateServerSettings];
}

/** Core's `parseConfig` plus the server's own checks ({@link conduitConfigValidators}). */
export function parseConduitConfig(
  input: unknown,
  options: { configPath?: string; registry?: TransformerRegistry } = {},
): ParsedConduitConfig {
  const registry = options.registry ?? createDefaultTransformerRegistry();
  return parseConfig(input, {
    source: options.configPath,
    extraValidators: conduitConfigValidators(registry),
  });
}
