import type { RouteTarget } from '../types/routing.js';
import type { ParsedProviderConfig } from './config-schema.js';

interface IndexedProvider {
  provider: ParsedProviderConfig;
  /** Position in `Providers`, for error paths. */
  index: number;
  /** Lower-cased model id → model id as configured. */
  modelsByLowerCase: Map<string, string>;
}

/** Case-insensitive lookup of providers and their models, built once per config. */
export interface ProviderIndex {
  readonly providers: ReadonlyMap<string, IndexedProvider>;
  /** Every configured `provider,model`, in config order (for error messages and `choices`). */
  readonly choices: string[];
  /** Provider names as configured. */
  readonly providerNames: string[];
}

/** The outcome of resolving a route against the configured providers. */
export type RouteResolution =
  | { status: 'ok'; target: RouteTarget; providerIndex: number }
  | { status: 'unknown-provider' }
  | { status: 'unknown-model'; providerName: string; providerIndex: number; models: string[] };

/** Indexes providers by lower-cased name; on duplicate names the first one wins. */
export function createProviderIndex(providers: readonly ParsedProviderConfig[]): ProviderIndex {
  const map = new Map<string, IndexedProvider>();
  const choices: string[] = [];
  const providerNames: string[] = [];
  providers.forEach((provider, index) => {
    const key = provider.name.toLowerCase();
    if (map.has(key)) return;
    const modelsByLowerCase = new Map<string, string>();
    for (const model of provider.models ?? []) {
      if (!modelsByLowerCase.has(model.toLowerCase()))
        modelsByLowerCase.set(model.toLowerCase(), model);
      choices.push(`${provider.name},${model}`);
    }
    map.set(key, { provider, index, modelsByLowerCase });
    providerNames.push(provider.name);
  });
  return { providers: map, choices, providerNames };
}

/**
 * Resolves a target case-insensitively and returns the canonical (configured) spelling. A provider
 * with an empty `models` list accepts any model id as given.
 */
export function resolveRouteTarget(index: ProviderIndex, target: RouteTarget): RouteResolution {
  const entry = index.providers.get(target.provider.toLowerCase());
  if (!entry) return { status: 'unknown-provider' };
  const models = entry.provider.models ?? [];
  if (models.length === 0) {
    return {
      status: 'ok',
      target: { provider: entry.provider.name, model: target.model },
      providerIndex: entry.index,
    };
  }
  const model = entry.modelsByLowerCase.get(target.model.toLowerCase());
  if (model === undefined) {
    return {
      status: 'unknown-model',
      providerName: entry.provider.name,
      providerIndex: entry.index,
      models,
    };
  }
  return {
    status: 'ok',
    target: { provider: entry.provider.name, model },
    providerIndex: entry.index,
  };
}

/** Shortens a list for a message: `a, b, c and 7 more`. */
export function describeList(items: readonly string[], limit = 8): string {
  const quoted = items.map(item => `"${item}"`);
  if (quoted.length <= limit) return quoted.join(', ');
  return `${quoted.slice(0, limit).join(', ')} and ${quoted.length - limit} more`;
}
