import {
  type CustomRouteResult,
  parseRouteTarget,
  type RoutingContext,
  type RoutingDecision,
} from '@conduit/core';

/**
 * A plugin's `customRouter` answer as a full decision (the seed plan's `customRouting` shape), or
 * null when a string answer is not `provider,model`. The route is not checked against the
 * providers here: the router does that when it routes.
 */
export function toPluginDecision(
  pluginName: string,
  result: string | CustomRouteResult,
  context: RoutingContext,
): RoutingDecision | null {
  const target =
    typeof result === 'string'
      ? parseRouteTarget(result)
      : { provider: result.provider, model: result.model };
  if (!target) return null;
  const details: Partial<CustomRouteResult> = typeof result === 'string' ? {} : result;
  return {
    provider: target.provider,
    model: target.model,
    reason: details.reason ?? `plugin:${pluginName}`,
    scenario: 'default',
    confidence: details.confidence ?? 1,
    tokenCount:
      typeof context?.tokenCount === 'number' && Number.isFinite(context.tokenCount)
        ? context.tokenCount
        : 0,
    fallbacks: [],
    metadata: { ...context?.metadata, ...details.metadata, plugin: pluginName },
  };
}
