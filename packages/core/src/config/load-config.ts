import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import JSON5 from 'json5';
import { ConfigError } from '../errors/config-error.js';
import type { ConfigAnalysisOptions } from './analyze-config.js';
import type { ParsedConduitConfig } from './config-schema.js';
import { resolveCCRHome, resolveConduitHome } from './conduit-home.js';
import { parseConfig } from './parse-config.js';

/** Where to look for the config file. */
export interface LoadConfigOptions {
  /** Explicit file; when given, it must exist. Relative paths resolve against the working directory. */
  path?: string;
  /** Environment for `$CONDUIT_HOME` and `$VAR` interpolation (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** The user's home directory (default `os.homedir()`), for `~/.conduit` and `~/.claude-code-router`. */
  home?: string;
}

/** A loaded config and where it came from. */
export interface LoadedConfig {
  config: ParsedConduitConfig;
  /** The file read, or null when none was found and defaults are used. */
  path: string | null;
  /** `explicit` (options.path), `conduit` ($CONDUIT_HOME), `ccr` (~/.claude-code-router) or `none`. */
  source: 'explicit' | 'conduit' | 'ccr' | 'none';
}

/** The raw (unparsed) contents of the config file that would be loaded. */
export interface ConfigSource {
  raw: unknown;
  path: string | null;
  source: LoadedConfig['source'];
}

type FileReader = (path: string) => string | Promise<string>;

/**
 * Loads the config: the explicit path, else `$CONDUIT_HOME/config.json` (default `~/.conduit`), else
 * claude-code-router's `~/.claude-code-router/config.json` (so a CCR user changes nothing), else
 * defaults with no providers. Files are JSON5 (comments, trailing commas).
 *
 * @throws ConfigError for a missing explicit file, a syntax error (with line and column) or an
 * invalid config (every problem listed).
 */
export async function loadConfig(
  options: LoadConfigOptions & Omit<ConfigAnalysisOptions, 'source' | 'env'> = {},
): Promise<LoadedConfig> {
  // Read synchronously: a config file is small, and `conduit start` loads it on its way to
  // listening, where the four thread-pool trips of an asynchronous read (open, stat, read, close)
  // each wait for a free CPU on a busy machine. The same file, errors and result as before.
  return toLoadedConfig(readConfigSourceSync(options), options);
}

/** Synchronous {@link loadConfig}, for CLI start-up and plugin hosts that cannot await. */
export function loadConfigSync(
  options: LoadConfigOptions & Omit<ConfigAnalysisOptions, 'source' | 'env'> = {},
): LoadedConfig {
  return toLoadedConfig(readConfigSourceSync(options), options);
}

function toLoadedConfig(
  found: ConfigSource,
  options: LoadConfigOptions & Omit<ConfigAnalysisOptions, 'source' | 'env'>,
): LoadedConfig {
  const config = parseConfig(found.raw, {
    ...options,
    env: options.env ?? process.env,
    source: found.path ?? 'defaults',
  });
  return { config, path: found.path, source: found.source };
}

/** Finds and parses (JSON5) the config file without validating it. */
export async function readConfigSource(options: LoadConfigOptions = {}): Promise<ConfigSource> {
  const candidate = locateConfigFile(options);
  if (candidate.path === null) return { raw: {}, ...candidate };
  return {
    raw: parseJSON5File(candidate.path, await readOrThrow(candidate.path, readFileAsync)),
    ...candidate,
  };
}

/** Synchronous {@link readConfigSource}. */
export function readConfigSourceSync(options: LoadConfigOptions = {}): ConfigSource {
  const candidate = locateConfigFile(options);
  if (candidate.path === null) return { raw: {}, ...candidate };
  return {
    raw: parseJSON5File(candidate.path, readOrThrowSync(candidate.path)),
    ...candidate,
  };
}

function locateConfigFile(options: LoadConfigOptions): Omit<ConfigSource, 'raw'> {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  if (options.path !== undefined) {
    const explicit = resolve(options.path);
    if (!existsSync(explicit)) {
      throw new ConfigError({
        source: explicit,
        issues: [
          {
            path: '',
            message: `the config file ${explicit} does not exist.`,
            hint: 'check the path, or omit it to use $CONDUIT_HOME/config.json (default ~/.conduit/config.json).',
          },
        ],
      });
    }
    return { path: explicit, source: 'explicit' };
  }
  const conduitFile = join(resolveConduitHome(env, home), 'config.json');
  if (existsSync(conduitFile)) return { path: conduitFile, source: 'conduit' };
  const ccrFile = join(resolveCCRHome(home), 'config.json');
  if (existsSync(ccrFile)) return { path: ccrFile, source: 'ccr' };
  return { path: null, source: 'none' };
}

const readFileAsync: FileReader = path => readFile(path, 'utf8');

async function readOrThrow(path: string, reader: FileReader): Promise<string> {
  try {
    return await reader(path);
  } catch (error) {
    throw unreadable(path, error);
  }
}

function readOrThrowSync(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw unreadable(path, error);
  }
}

function unreadable(path: string, error: unknown): ConfigError {
  return new ConfigError({
    source: path,
    cause: error,
    issues: [
      {
        path: '',
        message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
        hint: 'check that the path is a readable file.',
      },
    ],
  });
}

/** Parses JSON5 text; a syntax error becomes a ConfigError naming the file, line and column. */
export function parseJSON5File(path: string, text: string): unknown {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    // Most configs are plain JSON, which JSON5 (a superset) reads to the same value: the built-in
    // parser does it in a fraction of the few ms JSON5's parser takes while the gateway starts.
    return JSON.parse(source);
  } catch {
    // Comments, trailing commas, unquoted keys…, or a syntax error, which JSON5 reports below.
  }
  try {
    return JSON5.parse(source);
  } catch (error) {
    const syntax = error as SyntaxError & { lineNumber?: number; columnNumber?: number };
    const where =
      syntax.lineNumber !== undefined
        ? ` at line ${syntax.lineNumber}, column ${syntax.columnNumber ?? 0}`
        : '';
    const detail = syntax.message.replace(/^JSON5: /, '').replace(/ at \d+:\d+$/, '');
    throw new ConfigError({
      source: path,
      cause: error,
      issues: [
        {
          path: '',
          message: `${path}${where}: ${detail}.`,
          hint: 'fix the syntax there (JSON5: comments and trailing commas are allowed; strings need quotes).',
        },
      ],
    });
  }
}
