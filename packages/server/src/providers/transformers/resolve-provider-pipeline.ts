import { ConfigError, type ParsedProviderConfig, type TransformerUse } from '@conduit/core';
import type { TransformerRegistry } from './transformer-registry.js';
import type { AdapterId, TransformerInstance } from './transformer-types.js';

/** Everything needed to call one provider/model: the wire adapter and the transformer chain. */
export interface ProviderPipeline {
  adapterId: AdapterId;
  /** Provider transformers then model transformers, in `use` order (for requests). */
  requestTransformers: TransformerInstance[];
  /** Provider transformers reversed, then model transformers reversed (CCR's response order). */
  responseTransformers: TransformerInstance[];
  /** Settings contributed by the transformers, merged in request order. */
  settings: Record<string, unknown>;
}

/** `name` or `[name, options]` → its parts. */
export function parseTransformerUse(use: TransformerUse): {
  name: string;
  options: Record<string, unknown>;
} {
  return typeof use === 'string' ? { name: use, options: {} } : { name: use[0], options: use[1] };
}

/** CCR treats an `api_base_url` ending in `/v1/messages` as an Anthropic endpoint. */
export function isAnthropicEndpoint(apiBaseUrl: string): boolean {
  const path = apiBaseUrl.split(/[?#]/)[0]!.replace(/\/+$/, '');
  return path.endsWith('/v1/messages');
}

/** The `use` lists that apply to `model` on `provider`: provider-wide first, then per model. */
export function transformerUsesFor(
  provider: ParsedProviderConfig,
  model: string,
): { providerUses: TransformerUse[]; modelUses: TransformerUse[] } {
  const transformer = provider.transformer as
    | (Record<string, { use?: TransformerUse[] } | TransformerUse[] | undefined> & {
        use?: TransformerUse[];
      })
    | undefined;
  const modelEntry = transformer?.[model] as { use?: TransformerUse[] } | undefined;
  return {
    providerUses: transformer?.use ?? [],
    modelUses: model !== 'use' ? (modelEntry?.use ?? []) : [],
  };
}

/**
 * Resolves the adapter and transformer chain for `model` on `provider`. The adapter is chosen by
 * the last adapter-selecting transformer (`Anthropic`, `OpenAI`, `gemini`, `openai-responses`), else by the URL
 * (`…/v1/messages` → Anthropic), else OpenAI-compatible.
 */
export function resolveProviderPipeline(
  provider: ParsedProviderConfig,
  model: string,
  registry: TransformerRegistry,
): ProviderPipeline {
  const { providerUses, modelUses } = transformerUsesFor(provider, model);
  let adapterId: AdapterId | undefined;
  const instantiate = (uses: TransformerUse[]): TransformerInstance[] =>
    uses.map(use => {
      const { name, options } = parseTransformerUse(use);
      const definition = registry.get(name);
      if (!definition) {
        throw new ConfigError({
          issues: [
            {
              path: `Providers[${provider.name}].transformer`,
              message: `unknown transformer "${name}".`,
              hint: `use one of: ${registry.names().join(', ')}.`,
            },
          ],
        });
      }
      if (definition.unsupported) {
        throw new ConfigError({
          issues: [
            {
              path: `Providers[${provider.name}].transformer`,
              message: definition.unsupported.message,
              hint: definition.unsupported.hint,
            },
          ],
        });
      }
      if (definition.adapter) adapterId = definition.adapter;
      return definition.create(options);
    });
  const providerTransformers = instantiate(providerUses);
  const modelTransformers = instantiate(modelUses);
  const requestTransformers = [...providerTransformers, ...modelTransformers];
  const settings: Record<string, unknown> = {};
  for (const transformer of requestTransformers) Object.assign(settings, transformer.settings);
  return {
    adapterId: adapterId ?? (isAnthropicEndpoint(provider.api_base_url) ? 'anthropic' : 'openai'),
    requestTransformers,
    responseTransformers: [...providerTransformers.reverse(), ...modelTransformers.reverse()],
    settings,
  };
}
