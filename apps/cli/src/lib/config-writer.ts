/**
 * Editing the config file from the CLI (`conduit model` and its picker): the file as
 * written (`$VAR` references kept), validated and written by core's one config writer
 * (`saveConfigFile`) with the checks `conduit config validate` and the gateway use
 * (`withConduitChecks`). A running gateway reloads it (it watches the file).
 * @module
 */
import { ConfigError, readConfigSource, saveConfigFile, withConduitChecks } from '@conduit/conduit';
import { CLIError } from './cli-error.js';
import { resolveConduitPaths } from './conduit-paths.js';
import { exitCodes } from './exit-codes.js';
import { formatIssuesForTerminal } from './load-cli-config.js';

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
 * Validates `raw` and writes it to `path` with core's one config writer (`saveConfigFile`: backup
 * `<file>.<ISO time>.bak`, the 3 newest kept, atomic replace, 0600). Returns the backup's path, if
 * there was a file to back up.
 * @throws CLIError (exit 2) listing every problem; nothing is written then.
 */
export async function writeConfigFile(
  path: string,
  raw: Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
  now: Date = new Date(),
): Promise<string | undefined> {
  try {
    const backup = await saveConfigFile(path, raw, {
      ...withConduitChecks({ env, source: path }),
      // A key written as `$VAR` may be exported only in the daemon's environment, not this
      // shell's: not a reason to refuse the edit (`start` and reload refuse it if still unset).
      unresolvedSecrets: 'warning',
      now,
    });
    return backup ?? undefined;
  } catch (error) {
    if (!ConfigError.isInstance(error)) throw error;
    throw new CLIError({
      message: `${formatIssuesForTerminal(error.issues, path)}\nNothing was written.`,
      exitCode: exitCodes.invalidConfig,
    });
  }
}

/** Tells where the change went and that a running gateway picks it up. */
export function reportWrite(path: string, backup: string | undefined): void {
  process.stdout.write(
    `✔ wrote ${path}${backup ? ` (backup: ${backup})` : ''}; a running gateway reloads it\n`,
  );
}
