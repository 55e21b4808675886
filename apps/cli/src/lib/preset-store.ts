/**
 * Where presets live (`$CONDUIT_HOME/presets/<name>/`) and how they are read, installed and
 * removed. An installed preset has `manifest.json` (placeholders, shareable) and `config.json`
 * (0600: the values given on install, or `${VAR}` references to the environment), and is run by
 * its own gateway whose state (PID file, logs) stays in that folder.
 * @module
 */
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CLIError } from './cli-error.js';
import { commandWords } from './command-words.js';
import { resolveConduitPaths } from './conduit-paths.js';
import { exitCodes } from './exit-codes.js';
import { type PresetManifest, manifestProblem, presetNamePattern } from './preset-manifest.js';

export function presetsDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return join(resolveConduitPaths(env).home, 'presets');
}

export function presetDirectory(name: string, env: NodeJS.ProcessEnv = process.env): string {
  assertPresetName(name);
  return join(presetsDirectory(env), name);
}

export function assertPresetName(name: string): void {
  if (commandWords.has(name)) {
    throw new CLIError({
      message: `"${name}" is a conduit command; give the preset another name`,
      exitCode: exitCodes.usage,
    });
  }
  if (!presetNamePattern.test(name)) {
    throw new CLIError({
      message: `"${name}" is not a preset name: use letters, digits, ".", "_" and "-" (64 at most)`,
      exitCode: exitCodes.usage,
    });
  }
}

/** Writes a file 0600 atomically (the folder 0700). */
export async function writePrivateJSON(path: string, value: unknown): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
}

/** Reads and checks a manifest (a usage error names the file and the problem). */
export async function readManifest(path: string): Promise<PresetManifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CLIError({
      message: `cannot read the preset manifest ${path}: ${(error as Error).message}`,
      exitCode: exitCodes.usage,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CLIError({
      message: `${path} is not valid JSON: ${(error as Error).message}`,
      exitCode: exitCodes.usage,
    });
  }
  const problem = manifestProblem(value);
  if (problem) throw new CLIError({ message: `${path}: ${problem}`, exitCode: exitCodes.usage });
  return value as PresetManifest;
}

/** Installed presets: name and manifest (or the reason it cannot be read). */
export async function listPresets(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Array<{ name: string; manifest?: PresetManifest; problem?: string }>> {
  let names: string[];
  try {
    names = (await readdir(presetsDirectory(env), { withFileTypes: true }))
      .filter(entry => entry.isDirectory() && presetNamePattern.test(entry.name))
      .map(entry => entry.name)
      .sort();
  } catch {
    return [];
  }
  return Promise.all(
    names.map(async name => {
      try {
        return {
          name,
          manifest: await readManifest(join(presetsDirectory(env), name, 'manifest.json')),
        };
      } catch (error) {
        return { name, problem: (error as Error).message };
      }
    }),
  );
}

/** `true` when `presets/<name>/config.json` exists (so `conduit <name>` can run it). */
export async function isPresetInstalled(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  if (!presetNamePattern.test(name)) return false;
  try {
    await readFile(join(presetsDirectory(env), name, 'config.json'));
    return true;
  } catch {
    return false;
  }
}

export async function deletePreset(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  const directory = presetDirectory(name, env);
  try {
    await readdir(directory);
  } catch {
    return false;
  }
  await rm(directory, { recursive: true, force: true });
  return true;
}
