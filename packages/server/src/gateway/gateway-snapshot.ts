import {
  type ParsedConduitConfig,
  NoRouteError,
  type ParsedProviderConfig,
  createProviderIndex,
  parseRouteTarget,
  resolveRouteTarget,
} from '@conduit/core';
import type { ProviderAdapter } from '../providers/provider-adapter.js';
import {
  type ProviderPipeline,
  resolveProviderPipeline,
} from '../providers/transformers/resolve-provider-pipeline.js';
import { extendRegistryWithCustomTransformers } from '../providers/transformers/custom-transformer-modules.js';
import type { TransformerRegistry } from '../providers/transformers/transformer-registry.js';
import type { AdapterId } from '../providers/transformers/transformer-types.js';

/** A resolved `provider,model`: where and how to call. */
export interface UpstreamTarget {
  provider: ParsedProviderConfig;
  model: string;
  adapter: ProviderAdapter;
  pipeline: ProviderPipeline;
}

/**
 * An immutable view of one config version. The server swaps whole snapshots on `updateConfig`,
 * so a request keeps the config it started with.
 */
export class GatewaySnapshot {
  readonly config: ParsedConduitConfig;
  private readonly index: ReturnType<typeof createProviderIndex>;
  private readonly registry: TransformerRegistry;
  private readonly adapters: Record<AdapterId, ProviderAdapter>;
  private readonly pipelines = new Map<string, ProviderPipeline>();

  constructor(options: {
    config: ParsedConduitConfig;
    registry: TransformerRegistry;
    adapters: Record<AdapterId, ProviderAdapter>;
  }) {
    this.config = options.config;
    // Custom transformer modules named in this config version join the registry (CCR semantics).
    this.registry = extendRegistryWithCustomTransformers(options.registry, options.config);
    this.adapters = options.adapters;
    this.index = createProviderIndex(options.config.Providers);
  }

  /** Every configured `provider,model`, in config order. */
  get choices(): string[] {
    return this.index.choices;
  }

  /**
   * Resolves a target (a decision's provider/model, or a `provider,model` fallback string).
   * @throws NoRouteError for unknown providers or models.
   */
  resolveTarget(target: { provider: string; model: string } | string): UpstreamTarget {
    const parsed = typeof target === 'string' ? parseRouteTarget(target) : target;
    if (!parsed) {
      throw new NoRouteError({
        kind: 'unknown-provider',
        choices: this.choices,
        message: `"${String(target)}" is not a "provider,model" route.`,
      });
    }
    const resolution = resolveRouteTarget(this.index, parsed);
    if (resolution.status === 'unknown-provider') {
      throw new NoRouteError({
        kind: 'unknown-provider',
        choices: this.choices,
        message: `Provider "${parsed.provider}" is not configured. Configured routes: ${this.choices.join(', ') || 'none'}.`,
      });
    }
    if (resolution.status === 'unknown-model') {
      throw new NoRouteError({
        kind: 'unknown-model',
        choices: this.choices,
        message: `Provider "${resolution.providerName}" has no model "${parsed.model}". Configured routes: ${this.choices.join(', ')}.`,
      });
    }
    const provider = this.config.Providers[resolution.providerIndex]!;
    const model = resolution.target.model;
    const key = `${provider.name}\u0000${model}`;
    let pipeline = this.pipelines.get(key);
    if (!pipeline) {
      pipeline = resolveProviderPipeline(provider, model, this.registry);
      this.pipelines.set(key, pipeline);
    }
    return { provider, model, adapter: this.adapters[pipeline.adapterId], pipeline };
  }
}
