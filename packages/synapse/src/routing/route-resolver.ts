import {
  type ParsedConduitConfig,
  createProviderIndex,
  parseRouteTarget,
  type ProviderIndex,
  type RouteTarget,
  resolveRouteTarget,
} from '@conduit/core';

/** Resolves `provider,model` strings against the configured providers (case-insensitive). */
export class RouteResolver {
  private readonly index: ProviderIndex;

  constructor(config: Pick<ParsedConduitConfig, 'Providers'>) {
    this.index = createProviderIndex(config.Providers);
  }

  /** The canonical target, or null when the provider or model is not configured. */
  resolve(route: string): RouteTarget | null {
    const target = parseRouteTarget(route);
    if (!target) return null;
    const resolution = resolveRouteTarget(this.index, target);
    return resolution.status === 'ok' ? resolution.target : null;
  }

  /** Why `route` does not resolve, or null when it does. */
  explain(route: string): string | null {
    const target = parseRouteTarget(route);
    if (!target) return `"${route}" is not a "provider,model" route`;
    const resolution = resolveRouteTarget(this.index, target);
    if (resolution.status === 'ok') return null;
    const choices = this.index.choices.length > 0 ? this.index.choices.join(', ') : 'none';
    if (resolution.status === 'unknown-provider') {
      return `"${route}" names provider "${target.provider}", which is not configured (configured routes: ${choices})`;
    }
    return `"${route}" names model "${target.model}", which provider "${resolution.providerName}" does not list (configured routes: ${choices})`;
  }
}
