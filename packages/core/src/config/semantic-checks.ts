import type { ConfigIssue } from '../errors/config-error.js';
import type { RouteScenario } from '../types/routing.js';
import type { ParsedConduitConfig } from './config-schema.js';
import { findEnvReferences } from './interpolate-env.js';
import {
  createProviderIndex,
  describeList,
  type ProviderIndex,
  resolveRouteTarget,
} from './provider-index.js';
import { parseRouteTarget } from './route-target.js';
import { compileRulePattern, isSupportedRuleField } from './rule-fields.js';

/** Router slots that hold a `provider,model` route. */
export const routeScenarios: readonly RouteScenario[] = [
  'default',
  'background',
  'think',
  'longContext',
  'webSearch',
  'image',
];

const numericOperators = new Set(['gt', 'lt', 'gte', 'lte']);

/** Options of {@link checkConfigSemantics}. */
export interface SemanticCheckOptions {
  /**
   * What an unresolved `$VAR` left in `APIKEY` or a provider key is: `error` (the default: serving
   * would use the literal text as a key) or `warning` (routing only, which never sends a key).
   */
  unresolvedSecrets?: 'error' | 'warning';
}

/**
 * Checks what the schema cannot: that every route points at a configured provider and model, that
 * provider names are unique and URLs valid, and that custom rules can be evaluated.
 */
export function checkConfigSemantics(
  config: ParsedConduitConfig,
  options: SemanticCheckOptions = {},
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const index = createProviderIndex(config.Providers);
  const severity = options.unresolvedSecrets ?? 'error';
  checkProviders(config, severity, issues);
  if (config.APIKEY) checkSecretResolved('APIKEY', config.APIKEY, severity, issues);
  checkBrowserAccess(config, issues);
  const router = config.Router;
  for (const scenario of routeScenarios) {
    const route = router[scenario];
    if (route !== undefined) checkRoute(index, `Router.${scenario}`, route, issues);
  }
  if (config.Providers.length > 0 && router.default === undefined) {
    issues.push({
      path: 'Router.default',
      severity: 'warning',
      message: 'is not set, so requests that match no other rule have nowhere to go.',
      hint: `set "Router": { "default": "provider,model" }, e.g. "${index.choices[0] ?? `${index.providerNames[0]},<model>`}".`,
    });
  }
  checkFallbacks(config, index, issues);
  checkCustomRules(config, index, issues);
  return issues;
}

function checkProviders(
  config: ParsedConduitConfig,
  secretSeverity: 'error' | 'warning',
  issues: ConfigIssue[],
): void {
  const seen = new Map<string, number>();
  config.Providers.forEach((provider, position) => {
    const path = `Providers[${position}]`;
    const key = provider.name.toLowerCase();
    const first = seen.get(key);
    if (first === undefined) seen.set(key, position);
    else {
      issues.push({
        path: `${path}.name`,
        message: `"${provider.name}" is used by Providers[${first}] too (names are compared case-insensitively).`,
        hint: 'give each provider a unique name, or merge their models into one entry.',
      });
    }
    if (!isHttpURL(provider.api_base_url)) {
      issues.push({
        path: `${path}.api_base_url`,
        message: `"${provider.api_base_url}" is not a valid http(s) URL.`,
        hint: 'use the full endpoint URL, e.g. "https://api.deepseek.com/chat/completions".',
      });
    }
    const secrets: Array<[string, string | undefined]> = [
      ['api_key', provider.api_key],
      ...(provider.api_keys ?? []).map((key, keyIndex): [string, string] => [
        `api_keys[${keyIndex}]`,
        key,
      ]),
      ...Object.entries(provider.headers ?? {}).map(([name, value]): [string, string] => [
        `headers.${name}`,
        value,
      ]),
    ];
    for (const [field, value] of secrets) {
      if (value !== undefined)
        checkSecretResolved(`${path}.${field}`, value, secretSeverity, issues);
    }
  });
}

/**
 * A secret still holding `$VAR` after interpolation would be used literally: a guessable `APIKEY`
 * (`$CONDUIT_APIKEY`) that passes the public-bind guard, or a provider key sent to the upstream.
 */
function checkSecretResolved(
  path: string,
  value: string,
  severity: 'error' | 'warning',
  issues: ConfigIssue[],
): void {
  for (const variable of findEnvReferences(value)) {
    issues.push({
      path,
      // Absent means error, as for every other issue.
      ...(severity === 'warning' ? { severity } : {}),
      message: `references $${variable}, which is not set in the environment, so the value would be used literally.`,
      hint: `export ${variable}=... before starting Conduit (or reloading), or write the value in the config.`,
    });
  }
}

/** `server.cors: true` reflects every origin: without `APIKEY`, any web page could spend the credits. */
function checkBrowserAccess(config: ParsedConduitConfig, issues: ConfigIssue[]): void {
  if (config.server.cors === true && !config.APIKEY) {
    issues.push({
      path: 'server.cors',
      message:
        'is true (any web page may call Conduit) while "APIKEY" is not set, so any site the user visits could send requests on their credits.',
      hint: 'set "APIKEY", or list the allowed origins, e.g. "cors": ["http://localhost:5173"].',
    });
  }
}

function checkFallbacks(
  config: ParsedConduitConfig,
  index: ProviderIndex,
  issues: ConfigIssue[],
): void {
  for (const [scenario, routes] of Object.entries(config.fallback ?? {})) {
    const isTargetKey = parseRouteTarget(scenario) !== null;
    const basePath = isTargetKey ? `fallback["${scenario}"]` : `fallback.${scenario}`;
    if (isTargetKey) {
      // A `provider,model` key: alternatives for that target, which must exist itself.
      checkRoute(index, basePath, scenario, issues);
    } else if (!(routeScenarios as readonly string[]).includes(scenario)) {
      issues.push({
        path: `fallback.${scenario}`,
        message: `"${scenario}" is neither a routing scenario nor a "provider,model" target, so this fallback list is never used.`,
        hint: `use one of ${describeList(routeScenarios)}, or a configured "provider,model".`,
      });
    }
    routes.forEach((route, position) => {
      checkRoute(index, `${basePath}[${position}]`, route, issues);
    });
  }
}

function checkCustomRules(
  config: ParsedConduitConfig,
  index: ProviderIndex,
  issues: ConfigIssue[],
): void {
  const names = new Set<string>();
  config.Router.customRules.forEach((rule, position) => {
    const path = `Router.customRules[${position}]`;
    if (names.has(rule.name)) {
      issues.push({
        path: `${path}.name`,
        message: `"${rule.name}" is used by another rule too.`,
        hint: 'give each rule a unique name; decisions report it as "rule:<name>".',
      });
    }
    names.add(rule.name);
    checkRoute(index, `${path}.route`, rule.route, issues);
    rule.conditions.forEach((condition, conditionIndex) => {
      const conditionPath = `${path}.conditions[${conditionIndex}]`;
      if (!isSupportedRuleField(condition.field)) {
        issues.push({
          path: `${conditionPath}.field`,
          message: `"${condition.field}" is not a field rules can test.`,
          hint: 'use tokenCount, model, message, sessionId, metadata.<key> or header.<name>.',
        });
      }
      if (numericOperators.has(condition.operator) && !Number.isFinite(Number(condition.value))) {
        issues.push({
          path: `${conditionPath}.value`,
          message: `operator "${condition.operator}" compares numbers, but the value is ${JSON.stringify(condition.value)}.`,
          hint: 'use a number, e.g. "value": 20000.',
        });
      }
      if (condition.operator === 'matches') {
        try {
          compileRulePattern(String(condition.value));
        } catch (error) {
          issues.push({
            path: `${conditionPath}.value`,
            message: `${JSON.stringify(condition.value)} is not a usable regular expression: ${(error as Error).message}.`,
            hint: 'write a JavaScript regular expression, e.g. "^claude-.*haiku" or "/plan mode/i".',
          });
        }
      }
    });
  });
}

/** Validates one `provider,model` route and reports where it points wrong. */
export function checkRoute(
  index: ProviderIndex,
  path: string,
  route: string,
  issues: ConfigIssue[],
): void {
  const target = parseRouteTarget(route);
  if (!target) {
    issues.push({
      path,
      message: `"${route}" is not a "provider,model" route.`,
      hint:
        index.choices.length > 0
          ? `write it as "provider,model", one of ${describeList(index.choices)}.`
          : 'write it as "provider,model", e.g. "deepseek,deepseek-chat".',
    });
    return;
  }
  const resolution = resolveRouteTarget(index, target);
  if (resolution.status === 'unknown-provider') {
    issues.push({
      path,
      message: `"${route}" names provider "${target.provider}", which is not in Providers.`,
      hint:
        index.providerNames.length > 0
          ? `use one of the configured providers (${describeList(index.providerNames)}), or add a provider named "${target.provider}" to Providers.`
          : `add a provider named "${target.provider}" to Providers.`,
    });
  } else if (resolution.status === 'unknown-model') {
    issues.push({
      path,
      message: `"${route}" names model "${target.model}", which is not in the models of provider "${resolution.providerName}".`,
      hint: `add "${target.model}" to Providers[${resolution.providerIndex}].models, or use one of ${describeList(resolution.models)}.`,
    });
  }
}

function isHttpURL(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
