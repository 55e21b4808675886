/**
 * The config file as the editor sees it: read with a revision (so two editors cannot overwrite
 * each other), validated exactly as the gateway validates it, and written atomically (temp file,
 * fsync, rename; 0600) after a timestamped backup, keeping the newest few backups.
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { chmod, copyFile, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  ConfigError,
  type ConfigIssue,
  type ConfigValidator,
  parseJSON5File,
  validateConfig,
} from '@conduit/core';

export interface ConfigFileState {
  /** The text on disk; `''` when the file does not exist yet. */
  text: string;
  exists: boolean;
  /** A hash of the text: what an edit started from. */
  revision: string;
}

export function revisionOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);
}

export async function readConfigFile(path: string): Promise<ConfigFileState> {
  try {
    const text = await readFile(path, 'utf8');
    return { text, exists: true, revision: revisionOf(text) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { text: '', exists: false, revision: revisionOf('') };
    throw error;
  }
}

/** The outcome of validating a config text. */
export interface ConfigValidation {
  /** The parsed JSON5 (before defaults and interpolation); null on a syntax error. */
  raw: unknown;
  /** Errors and warnings, each naming its key and the fix. */
  issues: ConfigIssue[];
  valid: boolean;
}

/** Parses JSON5 and runs core's checks plus the gateway's own (`validators`). */
export function validateConfigText(
  text: string,
  options: { validators?: ConfigValidator[]; env?: NodeJS.ProcessEnv; source?: string },
): ConfigValidation {
  let raw: unknown;
  try {
    raw = parseJSON5File(options.source ?? 'the config', text);
  } catch (error) {
    if (!ConfigError.isInstance(error)) throw error;
    return {
      raw: null,
      valid: false,
      issues: error.issues.map(issue => ({ ...issue, severity: 'error' as const })),
    };
  }
  const issues = validateConfig(raw, {
    env: options.env ?? process.env,
    source: options.source,
    extraValidators: options.validators,
  });
  return { raw, issues, valid: !issues.some(issue => issue.severity !== 'warning') };
}

function backupName(path: string, at: Date): string {
  return `${basename(path)}.${at.toISOString().replace(/[:.]/g, '-')}.bak`;
}

/**
 * Backs the current file up (`config.json.<ISO time>.bak`, claude-code-router's naming), removes
 * backups beyond the newest `keepBackups`, then replaces the file atomically.
 * @returns the backup's path, or null when there was no file to back up.
 */
export async function writeConfigFileAtomically(
  path: string,
  text: string,
  options: { keepBackups: number; now: Date },
): Promise<string | null> {
  const directory = dirname(path);
  const current = await readConfigFile(path);
  let backup: string | null = null;
  if (current.exists) {
    backup = join(directory, backupName(path, options.now));
    await copyFile(path, backup);
    await chmod(backup, 0o600);
    await pruneBackups(path, options.keepBackups);
  }
  const temporary = join(directory, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return backup;
}

async function pruneBackups(path: string, keep: number): Promise<void> {
  const prefix = `${basename(path)}.`;
  const backups = (await readdir(dirname(path)))
    .filter(name => name.startsWith(prefix) && name.endsWith('.bak'))
    .sort()
    .reverse();
  for (const name of backups.slice(keep)) await rm(join(dirname(path), name), { force: true });
}
