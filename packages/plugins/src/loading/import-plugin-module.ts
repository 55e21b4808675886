import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PluginLoadError } from '../errors/plugin-load-error.js';

/** Resolves a plugin file path against `baseDir` and checks that it is a file. */
export function resolvePluginFile(
  filePath: string,
  { baseDir, pluginName }: { baseDir: string; pluginName: string },
): string {
  const absolutePath = isAbsolute(filePath) ? filePath : resolve(baseDir, filePath);
  let isFile = false;
  try {
    isFile = statSync(absolutePath).isFile();
  } catch {
    isFile = false;
  }
  if (!isFile) {
    throw new PluginLoadError({
      pluginName,
      stage: 'resolve',
      message: `file not found: ${absolutePath}${isAbsolute(filePath) ? '' : ` ("${filePath}" is resolved against ${baseDir})`}.`,
    });
  }
  return absolutePath;
}

const packageNamePattern = /^(@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*(\/[\w.~/-]+)?$/i;

/**
 * Resolves an installed package (optionally with a subpath) to its entry file, trying each
 * directory of `resolvePaths` in order. CommonJS resolution (`createRequire`) is tried first; a
 * package that only exports an `import` condition is resolved from its `package.json`.
 */
export function resolvePluginPackage(
  packageName: string,
  { resolvePaths, pluginName }: { resolvePaths: readonly string[]; pluginName: string },
): string {
  if (!packageNamePattern.test(packageName)) {
    throw new PluginLoadError({
      pluginName,
      stage: 'resolve',
      message: `"${packageName}" is not a valid npm package name. For a local file use "source": "file" and a "path".`,
    });
  }
  for (const directory of resolvePaths) {
    const entry = resolveFrom(packageName, directory);
    if (entry) return entry;
  }
  throw new PluginLoadError({
    pluginName,
    stage: 'resolve',
    message: `package "${packageName}" is not installed (looked in node_modules from ${resolvePaths.join(', ')}). Install it next to the config file, or use a built-in name or a "path".`,
  });
}

function resolveFrom(packageName: string, directory: string): string | undefined {
  try {
    return createRequire(join(directory, 'conduit-plugin-resolver.js')).resolve(packageName);
  } catch {
    return resolveESMOnlyPackage(packageName, directory);
  }
}

/** Finds `node_modules/<name>` upward from `directory` and reads its `exports`/`module`/`main`. */
function resolveESMOnlyPackage(specifier: string, directory: string): string | undefined {
  const segments = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  const packageName = segments.slice(0, nameLength).join('/');
  const subpath = segments.length > nameLength ? `./${segments.slice(nameLength).join('/')}` : '.';
  let current = resolve(directory);
  while (true) {
    const packageDirectory = join(current, 'node_modules', packageName);
    const manifestPath = join(packageDirectory, 'package.json');
    if (existsSync(manifestPath)) {
      const target = entryFromManifest(readManifest(manifestPath), subpath);
      const entryPath = target ? join(packageDirectory, target) : undefined;
      return entryPath && existsSync(entryPath) ? entryPath : undefined;
    }
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

function readManifest(manifestPath: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(manifestPath, 'utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const importConditions = ['import', 'node', 'default'];

function entryFromManifest(manifest: Record<string, unknown>, subpath: string): string | undefined {
  const { exports } = manifest;
  if (exports !== undefined) {
    const exportsMap =
      typeof exports === 'string' || Array.isArray(exports) || !hasSubpathKeys(exports)
        ? { '.': exports }
        : (exports as Record<string, unknown>);
    return pickCondition(exportsMap[subpath]);
  }
  if (subpath !== '.') return subpath;
  for (const field of ['module', 'main']) {
    if (typeof manifest[field] === 'string') return manifest[field];
  }
  return 'index.js';
}

function hasSubpathKeys(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.keys(value).some(key => key.startsWith('.'))
  );
}

function pickCondition(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) {
    for (const candidate of target) {
      const picked = pickCondition(candidate);
      if (picked) return picked;
    }
    return undefined;
  }
  if (typeof target === 'object' && target !== null) {
    for (const [condition, value] of Object.entries(target)) {
      if (importConditions.includes(condition)) {
        const picked = pickCondition(value);
        if (picked) return picked;
      }
    }
  }
  return undefined;
}

/**
 * Imports a resolved module file (ESM or CommonJS alike, through dynamic `import()`). With `fresh`,
 * the file is evaluated again instead of served from the module cache, so `reload()` picks up edits:
 * ESM via a version query, CommonJS by also dropping it from the `require` cache.
 */
export async function importPluginModule(
  absolutePath: string,
  { fresh, generation }: { fresh: boolean; generation: number },
): Promise<unknown> {
  const url = pathToFileURL(absolutePath);
  if (fresh) {
    const requireCache = createRequire(absolutePath).cache;
    if (requireCache) delete requireCache[absolutePath];
    url.searchParams.set('conduit-reload', String(generation));
  }
  return import(url.href);
}
