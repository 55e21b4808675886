import type { ConfigIssue } from '../errors/config-error.js';
import { type ParsedConduitConfig, conduitConfigSchema } from './config-schema.js';
import { deepMerge, findPrototypeKeys } from './deep-merge.js';
import { interpolateEnv, isPlainObject } from './interpolate-env.js';
import { parseConfigFast } from './parse-config-fast.js';
import { builtInPresets } from './presets/index.js';
import {
  checkConfigSemantics,
  routeScenarios,
  type SemanticCheckOptions,
} from './semantic-checks.js';
import { convertZodIssues } from './zod-issues.js';

/** A check the server or a plugin host adds on top of core's (e.g. unknown transformer names). */
export type ConfigValidator = (config: ParsedConduitConfig) => ConfigIssue[];

/** Options shared by `parseConfig`, `validateConfig` and `ConfigManager`. */
export interface ConfigAnalysisOptions {
  /** Where the config came from, for error messages (a file path or `inline`). */
  source?: string;
  /** Environment for `$VAR` interpolation (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Extra presets by name; they shadow built-in ones of the same name. */
  presets?: Record<string, unknown>;
  /** More checks run after core's own, on the parsed config. */
  extraValidators?: ConfigValidator[];
  /** See {@link SemanticCheckOptions.unresolvedSecrets} (e.g. `warning` for `createConduitRouter`). */
  unresolvedSecrets?: SemanticCheckOptions['unresolvedSecrets'];
}

/** The result of running the whole pipeline: the config when parsing succeeded, and every issue. */
export interface ConfigAnalysis {
  config: ParsedConduitConfig | null;
  issues: ConfigIssue[];
}

/**
 * normalize CCR spellings → merge under the preset → interpolate `$VAR` → zod → semantic checks →
 * extra validators. Collects every issue instead of stopping at the first.
 */
export function analyzeConfig(input: unknown, options: ConfigAnalysisOptions = {}): ConfigAnalysis {
  if (!isPlainObject(input)) {
    return {
      config: null,
      issues: [
        {
          path: '',
          message: `the config must be a JSON object, but it is ${Array.isArray(input) ? 'an array' : input === null ? 'null' : typeof input}.`,
          hint: 'start from { "Providers": [], "Router": {} }.',
        },
      ],
    };
  }
  const prototypePaths = findPrototypeKeys(input);
  if (prototypePaths.length > 0) {
    return {
      config: null,
      issues: prototypePaths.map(path => ({
        path,
        message: 'is a key that could change how JavaScript objects behave (prototype pollution).',
        hint: 'remove the key; no Conduit setting is named "__proto__", "constructor" or "prototype".',
      })),
    };
  }
  const issues: ConfigIssue[] = [];
  let merged = normalizeConfigInput(input, issues);
  if (typeof merged.preset === 'string' && merged.preset !== '') {
    const preset = findPreset(merged.preset, options.presets);
    if (preset === undefined) {
      const known = Object.keys({ ...builtInPresets, ...options.presets });
      issues.push({
        path: 'preset',
        message: `"${merged.preset}" is not a known preset.`,
        hint: `use one of ${known.map(name => `"${name}"`).join(', ')}, or remove "preset".`,
      });
    } else {
      const { preset: _nestedPreset, ...presetBody } = normalizeConfigInput(preset, []);
      merged = deepMerge(presetBody, merged);
    }
  }
  const interpolated = interpolateEnv(merged, options.env ?? process.env);
  // zod (loaded on first use) only for what the fast check does not vouch for: it writes the errors.
  let config = parseConfigFast(interpolated);
  if (config === undefined) {
    const parsed = conduitConfigSchema.safeParse(interpolated);
    if (!parsed.success) {
      issues.push(...convertZodIssues(parsed.error.issues, interpolated));
      return { config: null, issues };
    }
    config = parsed.data;
  }
  issues.push(...checkConfigSemantics(config, options));
  for (const validator of options.extraValidators ?? []) issues.push(...validator(config));
  return { config, issues };
}

/** Errors only (warnings let the config load). */
export function isFatalIssue(issue: ConfigIssue): boolean {
  return issue.severity !== 'warning';
}

function findPreset(name: string, extra: Record<string, unknown> | undefined): unknown {
  if (extra && Object.hasOwn(extra, name)) return extra[name];
  return Object.hasOwn(builtInPresets, name) ? builtInPresets[name] : undefined;
}

/**
 * Accepts CCR's alternative spellings: `providers` for `Providers`, `Plugins` for `plugins`, v2 plugin
 * entries `{name, enabled, options}` (options become `config`), and empty Router slots (`""`, which
 * CCR's UI writes for "unset").
 */
function normalizeConfigInput(input: unknown, issues: ConfigIssue[]): Record<string, unknown> {
  if (!isPlainObject(input)) return {};
  const result: Record<string, unknown> = { ...input };
  renameAlias(result, 'providers', 'Providers', issues);
  renameAlias(result, 'Plugins', 'plugins', issues);
  if (Array.isArray(result.plugins)) {
    result.plugins = result.plugins.map(entry =>
      isPlainObject(entry) && entry.config === undefined && isPlainObject(entry.options)
        ? { ...entry, config: entry.options }
        : entry,
    );
  }
  if (isPlainObject(result.Router)) {
    const router: Record<string, unknown> = { ...result.Router };
    for (const scenario of routeScenarios) {
      const value = router[scenario];
      if (value === null || (typeof value === 'string' && value.trim() === ''))
        delete router[scenario];
    }
    result.Router = router;
  }
  return result;
}

function renameAlias(
  config: Record<string, unknown>,
  alias: string,
  canonical: string,
  issues: ConfigIssue[],
): void {
  if (config[alias] === undefined) return;
  if (config[canonical] === undefined) config[canonical] = config[alias];
  else {
    issues.push({
      path: alias,
      severity: 'warning',
      message: `both "${canonical}" and "${alias}" are set; "${alias}" is ignored.`,
      hint: `keep only "${canonical}".`,
    });
  }
  delete config[alias];
}
