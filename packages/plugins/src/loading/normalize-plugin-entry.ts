import { homedir } from 'node:os';
import { PluginLoadError } from '../errors/plugin-load-error.js';

/** Where a plugin comes from. */
export type PluginSource = 'file' | 'npm' | 'inline' | 'builtin';

const pluginSources: readonly PluginSource[] = ['file', 'npm', 'inline', 'builtin'];

/**
 * One `plugins[]` entry as users write it: core's `PluginConfig`, the parsed config schema entry, or
 * CCR v2's `{ name, enabled, options }` (`options` is read as `config`).
 */
export interface PluginEntry {
  name: string;
  /** `false` skips the plugin. Default `true`. */
  enabled?: boolean;
  /** The plugin's own settings, given to `validateConfig`, factories and `onLoad`. */
  config?: Record<string, unknown>;
  /** CCR v2 spelling of `config`. */
  options?: Record<string, unknown>;
  /** Inferred when omitted (see `normalizePluginEntry`). */
  source?: PluginSource;
  /** File path, relative to the config file's directory (`~/` is expanded). */
  path?: string;
  /** Inline plugin (object, module namespace or factory), package name, file path, or builtin name. */
  module?: unknown;
  /** Per-plugin override of the manager's hook timeout, in ms. */
  hookTimeoutMs?: number;
}

/** A validated entry with its source decided. */
export interface NormalizedPluginEntry {
  name: string;
  enabled: boolean;
  config: Record<string, unknown>;
  source: PluginSource;
  /** File path, package name or builtin name (absent for `inline`). */
  specifier?: string;
  /** The inline module (only for `inline`). */
  inlineModule?: unknown;
  hookTimeoutMs?: number;
}

/**
 * Validates an entry and infers its source when omitted: a module object or function is `inline`,
 * a `path` (or a path-like `module` string) is `file`, the name of a shipped plugin is `builtin`,
 * anything else is an `npm` package named by `module` or `name`.
 */
export function normalizePluginEntry(
  entry: unknown,
  { index, isBuiltinName }: { index: number; isBuiltinName: (name: string) => boolean },
): NormalizedPluginEntry {
  if (!isRecord(entry)) {
    throw configError(`plugins[${index}]`, 'each plugin entry must be an object with a "name".');
  }
  const name = typeof entry.name === 'string' ? entry.name.trim() : '';
  if (!name) throw configError(`plugins[${index}]`, 'the entry has no "name".');
  const enabled = entry.enabled ?? true;
  if (typeof enabled !== 'boolean') throw configError(name, '"enabled" must be true or false.');

  const rawConfig = entry.config ?? entry.options ?? {};
  if (!isRecord(rawConfig)) throw configError(name, '"config" (or "options") must be an object.');

  const hookTimeoutMs = entry.hookTimeoutMs;
  if (
    hookTimeoutMs !== undefined &&
    (typeof hookTimeoutMs !== 'number' || !Number.isFinite(hookTimeoutMs) || hookTimeoutMs <= 0)
  ) {
    throw configError(name, '"hookTimeoutMs" must be a positive number of milliseconds.');
  }

  const base = { name, enabled, config: rawConfig, hookTimeoutMs };
  const { source, path, module } = entry;
  if (path !== undefined && typeof path !== 'string') {
    throw configError(name, '"path" must be a string.');
  }
  if (source !== undefined && !pluginSources.includes(source as PluginSource)) {
    throw configError(
      name,
      `"source" must be one of ${pluginSources.join(', ')}; got ${JSON.stringify(source)}.`,
    );
  }
  const moduleName = typeof module === 'string' ? module.trim() : undefined;
  const hasInlineModule = module !== undefined && module !== null && typeof module !== 'string';

  switch (source ?? inferSource({ name, path, moduleName, hasInlineModule, isBuiltinName })) {
    case 'inline':
      if (!hasInlineModule) {
        throw configError(
          name,
          'source "inline" needs a "module" (a plugin object, module or factory).',
        );
      }
      return { ...base, source: 'inline', inlineModule: module };
    case 'file': {
      const filePath = path ?? moduleName;
      if (!filePath) throw configError(name, 'source "file" needs a "path".');
      return { ...base, source: 'file', specifier: expandHome(filePath) };
    }
    case 'builtin':
      return { ...base, source: 'builtin', specifier: moduleName || name };
    default: {
      const packageName = moduleName || path || name;
      return { ...base, source: 'npm', specifier: packageName };
    }
  }
}

function inferSource({
  name,
  path,
  moduleName,
  hasInlineModule,
  isBuiltinName,
}: {
  name: string;
  path: string | undefined;
  moduleName: string | undefined;
  hasInlineModule: boolean;
  isBuiltinName: (name: string) => boolean;
}): PluginSource {
  if (hasInlineModule) return 'inline';
  if (path !== undefined) return 'file';
  if (moduleName) {
    if (isPathLike(moduleName)) return 'file';
    return isBuiltinName(moduleName) ? 'builtin' : 'npm';
  }
  return isBuiltinName(name) ? 'builtin' : 'npm';
}

/** `./x`, `../x`, `/x`, `~/x`, `C:\x`, or anything ending in `.js`/`.mjs`/`.cjs`. */
export function isPathLike(specifier: string): boolean {
  return (
    /^(\.{1,2}[\\/]|[\\/]|~[\\/]|[A-Za-z]:[\\/])/.test(specifier) || /\.[cm]?js$/.test(specifier)
  );
}

function expandHome(filePath: string): string {
  return /^~[\\/]/.test(filePath) ? `${homedir()}${filePath.slice(1)}` : filePath;
}

function configError(pluginName: string, message: string): PluginLoadError {
  return new PluginLoadError({ pluginName, stage: 'config', message });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
