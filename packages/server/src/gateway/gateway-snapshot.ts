import {
  type ParsedConduitConfig,
  type ParsedProviderConfig,
  type RoutingDecision,
  createProviderIndex,
  resolveConfiguredRoute,
  resolvedRouteOf,
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
   * Resolves a target: a routing decision (the router's own resolution is reused when it was made
   * against this config version), a `provider,model` fallback string, or a provider/model pair.
   * @throws NoRouteError for unknown providers or models (core's messages, as routing's).
   */
  resolveTarget(
    target: RoutingDecision | { provider: string; model: string } | string,
  ): UpstreamTarget {
    const routed =
      typeof target === 'string' ? undefined : resolvedRouteOf(target as RoutingDecision);
    const resolved =
      routed && this.config.Providers[routed.providerIndex] === routed.provider
        ? routed
        : resolveConfiguredRoute(
            this.index,
            target,
            typeof target === 'string' ? 'Fallback route' : 'The routing decision',
          );
    const { provider, model } = resolved;
    const key = `${provider.name}\u0000${model}`;
    let pipeline = this.pipelines.get(key);
    if (!pipeline) {
      pipeline = resolveProviderPipeline(provider, model, this.registry);
      this.pipelines.set(key, pipeline);
    }
    return { provider, model, adapter: this.adapters[pipeline.adapterId], pipeline };
  }
}
