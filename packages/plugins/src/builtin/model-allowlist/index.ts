/**
 * `model-allowlist`: a guard that lets a request through only when its final `provider,model`
 * matches an allowlist. Anything else is rewritten to a configured fallback route, or refused with a
 * {@link PluginRejectionError} (the server answers 403 `permission_error` by default).
 * @module
 */
import type { ConduitPlugin, RoutingDecision } from '@conduit/core';
import { PluginRejectionError } from '../../errors/plugin-rejection-error.js';
import { isRecord } from '../../loading/normalize-plugin-entry.js';
import { compileRoutePattern, type RoutePattern } from './match-route-pattern.js';

/** Settings of `model-allowlist`. */
export interface ModelAllowlistConfig {
  /** `provider,model` globs, e.g. `["anthropic,*", "deepseek,deepseek-*", "*,claude-*"]`. */
  allow: string[];
  /** A `provider,model` (itself allowed) to use instead of a blocked route. */
  fallback?: string;
  /** `fallback` (default when `fallback` is set) or `reject` (default otherwise). */
  onViolation?: 'fallback' | 'reject';
  /** Status of a rejection: 403 (default, `permission_error`) or 400 (`invalid_request_error`). */
  statusCode?: 400 | 403;
}

const pluginName = 'model-allowlist';

/**
 * Creates the guard. Blocked entries are also removed from `decision.fallbacks`, so a provider
 * failover can never reach a route outside the list.
 *
 * @example
 * ```json
 * { "name": "model-allowlist", "config": { "allow": ["anthropic,*", "deepseek,*"], "fallback": "deepseek,deepseek-chat" } }
 * ```
 */
export function createModelAllowlistPlugin(rawConfig: Record<string, unknown>): ConduitPlugin {
  const { issues, patterns } = parseAllowlist(rawConfig);
  const config = rawConfig as Partial<ModelAllowlistConfig>;
  const isAllowed = (route: string): boolean => {
    const comma = route.indexOf(',');
    if (comma <= 0) return false;
    const provider = route.slice(0, comma);
    const model = route.slice(comma + 1);
    return patterns.some(pattern => pattern.matches(provider, model));
  };
  const onViolation = config.onViolation ?? (config.fallback ? 'fallback' : 'reject');

  return {
    name: pluginName,
    description: 'Allows only provider,model routes matching an allowlist',
    validateConfig: () => {
      if (issues.length > 0) return issues;
      if (config.fallback && !isAllowed(config.fallback)) {
        return [`"fallback" ${config.fallback} does not match any "allow" pattern`];
      }
      return true;
    },
    afterRouting(decision: RoutingDecision): RoutingDecision {
      const route = `${decision.provider},${decision.model}`;
      const fallbacks = decision.fallbacks.filter(isAllowed);
      if (isAllowed(route)) return { ...decision, fallbacks };
      if (onViolation === 'fallback' && config.fallback) {
        const comma = config.fallback.indexOf(',');
        return {
          ...decision,
          provider: config.fallback.slice(0, comma).trim(),
          model: config.fallback.slice(comma + 1).trim(),
          reason: `plugin:${pluginName}`,
          fallbacks,
          metadata: {
            ...decision.metadata,
            modelAllowlist: { blocked: route, reason: decision.reason },
          },
        };
      }
      throw new PluginRejectionError({
        pluginName,
        statusCode: config.statusCode ?? 403,
        message: `The route "${route}" is not allowed on this gateway (model-allowlist). Allowed: ${patterns
          .map(pattern => pattern.source)
          .join(', ')}.`,
      });
    },
  };
}

function parseAllowlist(config: Record<string, unknown>): {
  issues: string[];
  patterns: RoutePattern[];
} {
  const issues: string[] = [];
  const patterns: RoutePattern[] = [];
  const known = ['allow', 'fallback', 'onViolation', 'statusCode'];
  for (const key of Object.keys(config)) {
    if (!known.includes(key)) issues.push(`unknown setting "${key}" (known: ${known.join(', ')})`);
  }
  if (!Array.isArray(config.allow) || config.allow.length === 0) {
    issues.push(
      '"allow" must be a non-empty list of "provider,model" patterns, e.g. ["anthropic,*"]',
    );
  } else {
    for (const pattern of config.allow) {
      if (typeof pattern !== 'string') {
        issues.push('every "allow" entry must be a string');
        continue;
      }
      try {
        patterns.push(compileRoutePattern(pattern));
      } catch (error) {
        issues.push((error as Error).message);
      }
    }
  }
  const { fallback, onViolation, statusCode } = config;
  if (fallback !== undefined && (typeof fallback !== 'string' || !/^[^,]+,.+$/.test(fallback))) {
    issues.push('"fallback" must be a "provider,model" string');
  }
  if (onViolation !== undefined && onViolation !== 'fallback' && onViolation !== 'reject') {
    issues.push('"onViolation" must be "fallback" or "reject"');
  }
  if (onViolation === 'fallback' && fallback === undefined) {
    issues.push('"onViolation": "fallback" needs a "fallback" route');
  }
  if (statusCode !== undefined && statusCode !== 400 && statusCode !== 403) {
    issues.push('"statusCode" must be 400 or 403');
  }
  if (!isRecord(config)) issues.push('config must be an object');
  return { issues, patterns };
}
