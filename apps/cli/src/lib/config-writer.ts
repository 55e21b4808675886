/**
 * Editing the config file from the CLI (`conduit model`, `conduit preset install`): the file as
 * written (`$VAR` references kept), validated by the one validator `conduit config validate` and the gateway use (`validateConduitConfig`),
 * written atomically after a timestamped backup. A running gateway reloads it (it watches the file).
 * @module
 */
import { chmod, copyFile, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readConfigSource } from '@conduit/conduit';
import { validateConduitConfig } from '@conduit/conduit';
import { CLIError } from './cli-error.js';
import { resolveConduitPaths } from './conduit-paths.js';
import { exitCodes } from './exit-codes.js';
import { formatIssuesForTerminal } from './load-cli-config.js';

/** Backups kept next to the config (as CCR keeps 3). */
const keptBackups = 3;

export interface EditableConfig {
  /** The file to write: the one loaded, else `$CONDUIT_HOME/config.json`. */
  path: string;
  /** Its contents as written (JSON5 parsed; comments are not kept on write). */
  raw: Record<string, unknown>;
}

export async function readEditableConfig(
  configPath: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<EditableConfig> {
  const source = await readConfigSource({ path: configPath, env });
  const raw =
    source.raw !== null && typeof source.raw === 'object' && !Array.isArray(source.raw)
      ? { ...(source.raw as Record<string, unknown>) }
      : {};
  return { path: source.path ?? resolveConduitPaths(env).configFile, raw };
}

/**
 * Validates `raw` and writes it to `path`: backup `<file>.<ISO time>.bak` (the 3 newest kept),
 * temporary file, rename. Returns the backup's path, if there was a file to back up.
 * @throws CLIError (exit 2) listing every problem; nothing is written then.
 */
export async function writeConfigFile(
  path: string,
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
  now: Date = new Date(),
): Promise<string | undefined> {
  // A key written as `$VAR` may be exported only in the daemon's environment, not this shell's:
  // not a reason to refuse the edit (`start` and reload refuse it if it is still unset there).
  const errors = validateConduitConfig(raw, {
    env,
    source: path,
    unresolvedSecrets: 'warning',
  }).filter(issue => issue.severity !== 'warning');
  if (errors.length > 0) {
    throw new CLIError({
      message: `${formatIssuesForTerminal(errors, path)}\nNothing was written.`,
      exitCode: exitCodes.invalidConfig,
    });
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const backup = `${path}.${now.toISOString().replace(/[:.]/g, '-')}.bak`;
  let backedUp = false;
  try {
    await copyFile(path, backup);
    await chmod(backup, 0o600);
    backedUp = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(raw, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
  if (backedUp) await pruneBackups(path);
  return backedUp ? backup : undefined;
}

async function pruneBackups(path: string): Promise<void> {
  const prefix = `${basename(path)}.`;
  const backups = (await readdir(dirname(path)))
    .filter(name => name.startsWith(prefix) && name.endsWith('.bak'))
    .sort();
  for (const old of backups.slice(0, Math.max(0, backups.length - keptBackups)))
    await rm(join(dirname(path), old), { force: true });
}

/** Tells where the change went and that a running gateway picks it up. */
export function reportWrite(path: string, backup: string | undefined): void {
  process.stdout.write(
    `✔ wrote ${path}${backup ? ` (backup: ${backup})` : ''}; a running gateway reloads it\n`,
  );
}
