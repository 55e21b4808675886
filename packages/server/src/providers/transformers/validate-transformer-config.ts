import type { ConfigIssue, TransformerUse } from '@conduit/core';
import { createDefaultTransformerRegistry } from './builtin-transformers.js';
import {
  type CustomTransformerEntry,
  loadCustomTransformers,
} from './custom-transformer-modules.js';
import { parseTransformerUse } from './resolve-provider-pipeline.js';
import type { TransformerRegistry } from './transformer-registry.js';

interface ConfigWithProviders {
  Providers?: ReadonlyArray<{ name?: string; transformer?: unknown }>;
  transformers?: readonly unknown[];
}

function customTransformerEntries(list: readonly unknown[] | undefined): CustomTransformerEntry[] {
  return (list ?? []).filter(
    (entry): entry is CustomTransformerEntry =>
      entry !== null &&
      typeof entry === 'object' &&
      typeof (entry as { path?: unknown }).path === 'string',
  );
}

/**
 * Checks the custom transformer modules of the top-level `transformers` list (each must load and
 * map onto Conduit's pipeline) and every `transformer.use` entry (provider-wide and per model) against the registry: an
 * unknown name or bad options is an issue naming the known transformers. Usable as one of core's
 * `validateConfig(input, { extraValidators })`.
 *
 * @example
 * ```ts
 * validateConfig(input, { extraValidators: [validateTransformerConfig] });
 * ```
 */
export function validateTransformerConfig(
  config: ConfigWithProviders,
  registry: TransformerRegistry = createDefaultTransformerRegistry(),
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const custom = loadCustomTransformers(customTransformerEntries(config.transformers));
  issues.push(...custom.issues);
  registry = registry.extend(custom.definitions);
  // Listed only in an issue: sorting the names loads ICU's collation (3 MB) at every start.
  const known = () => registry.names().join(', ');
  const customModulesHint =
    custom.issues.length > 0 ? ' (Some custom transformer modules failed to load; see above.)' : '';
  (config.Providers ?? []).forEach((provider, providerIndex) => {
    const transformer = provider.transformer;
    if (transformer === undefined || transformer === null || typeof transformer !== 'object')
      return;
    for (const [key, entry] of Object.entries(transformer as Record<string, unknown>)) {
      const uses = key === 'use' ? entry : (entry as { use?: unknown } | undefined)?.use;
      if (!Array.isArray(uses)) continue;
      const basePath =
        key === 'use'
          ? `Providers[${providerIndex}].transformer.use`
          : `Providers[${providerIndex}].transformer["${key}"].use`;
      uses.forEach((use: TransformerUse, useIndex) => {
        const path = `${basePath}[${useIndex}]`;
        const { name, options } = parseTransformerUse(use);
        const definition = registry.get(name);
        if (!definition) {
          issues.push({
            path,
            message: `unknown transformer "${name}" (provider "${provider.name ?? providerIndex}").`,
            hint: `use one of: ${known()}.${customModulesHint}`,
          });
          return;
        }
        if (definition.unsupported) {
          issues.push({
            path,
            message: `${definition.unsupported.message} (provider "${provider.name ?? providerIndex}")`,
            hint: definition.unsupported.hint,
          });
          return;
        }
        for (const problem of definition.validateOptions?.(options) ?? []) {
          issues.push({ path, message: `transformer "${name}": ${problem}` });
        }
      });
    }
  });
  return issues;
}
