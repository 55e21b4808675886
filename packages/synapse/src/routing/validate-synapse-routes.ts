import { ConfigError, type ConfigIssue } from '@conduit/core';
import type { SynapseSettings } from '../config/synapse-settings.js';
import type { SynapseContext } from '../context/synapse-context.js';
import { synapseEnvVariables, synapseHeaderNames } from '../context/context-extractor.js';
import { SynapseContextError, type SynapseContextSource } from '../errors/synapse-context-error.js';
import { routesOfModelConfig } from './effective-model-config.js';
import type { RouteResolver } from './route-resolver.js';

/**
 * Checks that every `provider,model` in the `synapse` section names a configured provider and
 * model, so a typo fails at start-up instead of on the first request of that project.
 * @throws ConfigError listing each bad route with its `synapse.*` path.
 */
export function validateSynapseRoutes(settings: SynapseSettings, resolver: RouteResolver): void {
  const issues: ConfigIssue[] = [];
  const check = (path: string, route: string) => {
    const problem = resolver.explain(route);
    if (problem) issues.push({ path, message: `${problem}.` });
  };
  for (const [agentType, value] of Object.entries(settings.agentMapping)) {
    if (value.includes(',')) check(`synapse.agentMapping.${agentType}`, value);
  }
  for (const [section, configs] of [
    ['projects', settings.projects],
    ['agents', settings.agents],
  ] as const) {
    for (const [id, config] of Object.entries(configs)) {
      for (const { path, route } of routesOfModelConfig(config)) {
        check(`synapse.${section}.${id}.${path}`, route);
      }
    }
  }
  if (settings.downgradeRoute !== undefined)
    check('synapse.downgradeRoute', settings.downgradeRoute);
  if (issues.length > 0) throw new ConfigError({ issues });
}

/**
 * Checks the routes of model configs that arrived with a request (environment or headers).
 * @throws SynapseContextError naming the variable or header with the unknown route.
 */
export function validateContextRoutes(
  context: SynapseContext,
  source: SynapseContextSource,
  resolver: RouteResolver,
): void {
  for (const field of ['projectModelConfig', 'agentModelConfig'] as const) {
    const config = context[field];
    if (!config) continue;
    for (const { path, route } of routesOfModelConfig(config)) {
      const problem = resolver.explain(route);
      if (!problem) continue;
      const key = source === 'env' ? synapseEnvVariables[field] : synapseHeaderNames[field];
      const label = source === 'env' ? `Environment variable ${key}` : `Header ${key}`;
      throw new SynapseContextError({
        source,
        key,
        message: `${label}: ${path} ${problem}; expected a configured "provider,model".`,
      });
    }
  }
}
