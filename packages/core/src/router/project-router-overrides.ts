import { readFile, readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { LRUCache } from 'lru-cache';
import { type RouterConfig, routerConfigSchema } from '../config/config-schema.js';
import { type Logger, silentLogger } from '../types/logger.js';

/** A `Router` object that replaces the config's for one session (CCR's project/session Router). */
export interface RouterOverride {
  router: RouterConfig;
  /** The file it came from, named in routing explanations and errors. */
  source: string;
}

/** Finds the Router override of a session, if any (the router calls it once per request). */
export interface RouterOverrideLookup {
  find(sessionId: string): Promise<RouterOverride | undefined>;
}

export interface ProjectRouterLookupOptions {
  /** Claude Code's projects folder (`$CLAUDE_CONFIG_DIR/projects`, default `~/.claude/projects`). */
  claudeProjectsDirectory: string;
  /**
   * Folders holding `<project>/<sessionId>.json` and `<project>/config.json`, searched in order:
   * Conduit's `$CONDUIT_HOME/projects` first, then CCR's `~/.claude-code-router`.
   */
  overrideDirectories: string[];
  /** How long a lookup (found or not) is reused; files are re-read after it. Default 2000 ms. */
  cacheTtlMs?: number;
  logger?: Logger;
}

/** The default folders: Claude Code's projects, `$CONDUIT_HOME/projects`, `~/.claude-code-router`. */
export function defaultProjectRouterLookupOptions(
  conduitHome: string,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): Pick<ProjectRouterLookupOptions, 'claudeProjectsDirectory' | 'overrideDirectories'> {
  const claudeDirectory = env.CLAUDE_CONFIG_DIR?.trim() || join(home, '.claude');
  return {
    claudeProjectsDirectory: join(claudeDirectory, 'projects'),
    overrideDirectories: [join(conduitHome, 'projects'), join(home, '.claude-code-router')],
  };
}

const sessionIdPattern = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * CCR's project and session Router overrides (§C.7): the session's project is the folder of
 * Claude Code's projects directory holding `<sessionId>.jsonl`; its `Router` comes from
 * `<dir>/<project>/<sessionId>.json` in any of `overrideDirectories`, else
 * `<dir>/<project>/config.json`. Unlike CCR, a session not found yet is looked up again after the cache
 * expires (Claude Code creates the transcript as the session starts), and an unreadable file is
 * logged rather than silently ignored.
 */
export function createProjectRouterLookup(
  options: ProjectRouterLookupOptions,
): RouterOverrideLookup {
  const logger = options.logger ?? silentLogger;
  const ttl = options.cacheTtlMs ?? 2000;
  const cache = new LRUCache<string, { override: RouterOverride | null }>({ max: 1000, ttl });
  // A session never changes project: once found it is kept (no scan of every project again).
  const projects = new LRUCache<string, string>({ max: 1000 });

  async function findProject(sessionId: string): Promise<string | undefined> {
    let folders: string[];
    try {
      const entries = await readdir(options.claudeProjectsDirectory, { withFileTypes: true });
      folders = entries.filter(entry => entry.isDirectory()).map(entry => entry.name);
    } catch {
      return undefined;
    }
    const found = await Promise.all(
      folders.map(async folder => {
        const transcript = join(options.claudeProjectsDirectory, folder, `${sessionId}.jsonl`);
        return (await stat(transcript).catch(() => null))?.isFile() ? folder : undefined;
      }),
    );
    return found.find(folder => folder !== undefined);
  }

  async function readRouter(path: string): Promise<RouterOverride | undefined> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const router = (JSON.parse(text) as { Router?: unknown } | null)?.Router;
      if (router === undefined || router === null) return undefined;
      const parsed = routerConfigSchema.safeParse(router);
      if (!parsed.success) {
        logger.warn('ignoring an invalid Router override', {
          file: path,
          problem: parsed.error.issues[0]?.message,
        });
        return undefined;
      }
      return { router: parsed.data, source: path };
    } catch (error) {
      logger.warn('ignoring a Router override that is not valid JSON', {
        file: path,
        problem: error instanceof Error ? error.message : String(error),
      });
      return undefined;
    }
  }

  async function lookUp(sessionId: string): Promise<RouterOverride | null> {
    const project = projects.get(sessionId) ?? (await findProject(sessionId));
    if (project === undefined) return null;
    projects.set(sessionId, project);
    // The session's own file beats any project file, in every directory.
    for (const file of [`${sessionId}.json`, 'config.json']) {
      for (const directory of options.overrideDirectories) {
        const override = await readRouter(join(directory, project, file));
        if (override) return override;
      }
    }
    return null;
  }

  return {
    async find(sessionId) {
      // The id names files: anything but a plain id (path separators, dots) is not looked up.
      if (!sessionIdPattern.test(sessionId)) return undefined;
      const cached = cache.get(sessionId);
      if (cached) return cached.override ?? undefined;
      const override = await lookUp(sessionId);
      cache.set(sessionId, { override });
      return override ?? undefined;
    },
  };
}
