/**
 * The one way Conduit writes a config file (the CLI's `conduit model`, `config init|migrate`,
 * `preset install`, the UI's config editor): validated first, then a timestamped backup of the
 * file it replaces, then an atomic replace (private temporary file, fsync, rename), mode 0600 in a
 * 0700 folder. A running gateway that watches the file reloads it.
 * @module
 */
import { chmod, copyFile, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConfigError, type ConfigIssue } from '../errors/config-error.js';
import { type ConfigAnalysisOptions, analyzeConfig, isFatalIssue } from './analyze-config.js';

/** Backups kept next to the config by default (claude-code-router keeps 3). */
export const defaultKeptConfigBackups = 3;

export interface WriteConfigFileOptions {
  /** Backups `<file>.<ISO time>.bak` to keep (default 3); 0 keeps none beyond this write's. */
  keepBackups?: number;
  /** The time in the backup's name (default now). */
  now?: Date;
}

/**
 * Replaces `path` with `text` atomically, after backing the current file up (0600) and pruning
 * older backups. Writes no validation: see {@link saveConfigFile} for a config object.
 * @returns the backup's path, or null when there was no file to back up.
 */
export async function writeConfigFile(
  path: string,
  text: string,
  { keepBackups = defaultKeptConfigBackups, now = new Date() }: WriteConfigFileOptions = {},
): Promise<string | null> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const backup = join(
    directory,
    `${basename(path)}.${now.toISOString().replace(/[:.]/g, '-')}.bak`,
  );
  let backedUp = false;
  try {
    await copyFile(path, backup);
    await chmod(backup, 0o600);
    backedUp = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (backedUp) await pruneBackups(path, keepBackups);
  // A name nobody can guess, created exclusively: no one else's file is ever followed or reused.
  // node:crypto is loaded here, not on import: a process that never writes a config never pays.
  const { randomBytes } = process.getBuiltinModule('node:crypto');
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
  return backedUp ? backup : null;
}

async function pruneBackups(path: string, keep: number): Promise<void> {
  const prefix = `${basename(path)}.`;
  const backups = (await readdir(dirname(path)))
    .filter(name => name.startsWith(prefix) && name.endsWith('.bak'))
    .sort()
    .reverse();
  for (const name of backups.slice(Math.max(keep, 1))) {
    await rm(join(dirname(path), name), { force: true });
  }
}

/** The problems that stop a config from being written (warnings do not). */
export function configWriteErrors(
  raw: unknown,
  options: ConfigAnalysisOptions = {},
): ConfigIssue[] {
  return analyzeConfig(raw, options).issues.filter(isFatalIssue);
}

/**
 * Validates `raw` (the config as written: `$VAR` references kept) with every check the gateway
 * runs (`options.extraValidators` adds the gateway's own), then writes it as JSON with
 * {@link writeConfigFile}.
 * @throws ConfigError listing every problem; nothing is written then.
 * @returns the backup's path, or null when there was no file to back up.
 */
export async function saveConfigFile(
  path: string,
  raw: Record<string, unknown>,
  options: ConfigAnalysisOptions & WriteConfigFileOptions = {},
): Promise<string | null> {
  const issues = configWriteErrors(raw, { source: path, ...options });
  if (issues.length > 0) throw new ConfigError({ issues, source: options.source ?? path });
  return writeConfigFile(path, `${JSON.stringify(raw, null, 2)}\n`, options);
}
