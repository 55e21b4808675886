/**
 * The `--settings` file `conduit code` hands Claude Code so its status line runs
 * `conduit statusline` (as CCR v2 does), unless the user already has a status line.
 * @module
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Quotes one word for `sh -c` (Claude Code runs the status line command through a shell). */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * The command line that runs this very CLI's status line (no dependence on PATH): its own
 * CommonJS entry `statusline.cjs` next to the bin when there is one (built with the bundle), else
 * `<bin> statusline`.
 */
export function statusLineCommandLine(options: {
  nodePath: string;
  cliPath: string;
  configPath?: string;
  /** `dist/statusline.cjs`, when it exists. */
  statusLineEntry?: string;
}): string {
  const words = [options.nodePath, options.statusLineEntry ?? options.cliPath];
  if (options.configPath) words.push('--config', options.configPath);
  if (!options.statusLineEntry) words.push('statusline');
  return words.map(shellQuote).join(' ');
}

async function definesStatusLine(path: string): Promise<boolean> {
  try {
    const settings = JSON.parse(await readFile(path, 'utf8')) as { statusLine?: unknown } | null;
    return settings?.statusLine !== undefined && settings?.statusLine !== null;
  } catch {
    return false;
  }
}

/**
 * Where the user's own status line lives, if any: user settings (`$CLAUDE_CONFIG_DIR` or
 * `~/.claude/settings.json`), the project's `.claude/settings.json` and `settings.local.json`.
 */
export async function findUserStatusLine(
  env: NodeJS.ProcessEnv,
  cwd: string,
  home: string = homedir(),
): Promise<string | undefined> {
  const userDirectory = env.CLAUDE_CONFIG_DIR?.trim() || join(home, '.claude');
  const candidates = [
    join(userDirectory, 'settings.json'),
    join(cwd, '.claude', 'settings.json'),
    join(cwd, '.claude', 'settings.local.json'),
  ];
  for (const candidate of candidates) if (await definesStatusLine(candidate)) return candidate;
  return undefined;
}

/** Writes the settings file (0600 in a 0700 folder, named by its content) and returns its path. */
export async function writeStatusLineSettings(
  conduitHome: string,
  command: string,
): Promise<string> {
  const settings = `${JSON.stringify({ statusLine: { type: 'command', command, padding: 0 } }, null, 2)}\n`;
  const directory = join(conduitHome, 'claude-settings');
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const name = `statusline-${createHash('sha256').update(settings).digest('hex').slice(0, 16)}.json`;
  const path = join(directory, name);
  await writeFile(path, settings, { mode: 0o600 });
  return path;
}
