/**
 * First-run setup of Claude Code for `conduit code`: on a machine where Claude Code never
 * completed its onboarding, the theme picker and the security-notes screens would stand between
 * the user and the prompt (and a login screen that a gateway user has no use for). Claude Code
 * 2.1.x skips all of them when its global config says `hasCompletedOnboarding` (and has a
 * `theme`). Its "do you trust this folder" question comes next: Claude Code 2.1.x treats a folder
 * as trusted when `projects[<folder or an ancestor>].hasTrustDialogAccepted` is true, so the
 * folder `conduit code` was run in is marked trusted in the same first-run merge (running
 * `conduit code` there is the user's answer; `--no-folder-trust` or CONDUIT_NO_FOLDER_TRUST=1
 * keeps the question). A config whose onboarding is done is never touched, trust included.
 * @module
 */
import { chmod, copyFile, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Claude Code's global config: `$CLAUDE_CONFIG_DIR/.claude.json`, else `~/.claude.json`. */
export function claudeGlobalConfigPath(env: NodeJS.ProcessEnv, home: string = homedir()): string {
  const configDirectory = env.CLAUDE_CONFIG_DIR?.trim();
  return configDirectory ? join(configDirectory, '.claude.json') : join(home, '.claude.json');
}

export type OnboardingResult =
  | { action: 'already-completed' }
  | { action: 'created'; path: string }
  | { action: 'merged'; path: string; backup: string }
  | { action: 'skipped'; reason: string };

/**
 * Marks Claude Code's onboarding as done unless it already is. An existing file gets only the
 * missing keys merged in (everything else kept), after a timestamped backup; a file that is not
 * a JSON object is left alone. Written 0600, atomically (temporary file, then rename).
 */
export async function completeClaudeOnboarding(
  env: NodeJS.ProcessEnv,
  options: { now?: Date; home?: string; trustDirectory?: string } = {},
): Promise<OnboardingResult> {
  const now = options.now ?? new Date();
  const path = claudeGlobalConfigPath(env, options.home);
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      return { action: 'skipped', reason: `cannot read ${path}: ${(error as Error).message}` };
    }
  }
  let existing: Record<string, unknown> = {};
  if (text !== undefined && text.trim() !== '') {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        return { action: 'skipped', reason: `${path} is not a JSON object` };
      }
      existing = parsed as Record<string, unknown>;
    } catch {
      return { action: 'skipped', reason: `${path} is not valid JSON` };
    }
  }
  if (existing.hasCompletedOnboarding === true) return { action: 'already-completed' };

  const merged: Record<string, unknown> = {
    ...existing,
    hasCompletedOnboarding: true,
    theme: typeof existing.theme === 'string' ? existing.theme : 'dark',
  };
  if (options.trustDirectory !== undefined) {
    merged.projects = withTrustedFolder(existing.projects, options.trustDirectory);
  }
  let backup: string | undefined;
  if (text !== undefined) {
    backup = `${path}.conduit-backup-${now.toISOString().replace(/[:.]/g, '-')}`;
    await copyFile(path, backup);
    await chmod(backup, 0o600);
  }
  const temporary = `${path}.conduit-${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(merged, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
  return backup ? { action: 'merged', path, backup } : { action: 'created', path };
}

/** `projects` with `[directory].hasTrustDialogAccepted` set, every other key and folder kept. */
function withTrustedFolder(projects: unknown, directory: string): Record<string, unknown> {
  const all =
    projects !== null && typeof projects === 'object' && !Array.isArray(projects)
      ? { ...(projects as Record<string, unknown>) }
      : {};
  const current = all[directory];
  const entry =
    current !== null && typeof current === 'object' && !Array.isArray(current)
      ? (current as Record<string, unknown>)
      : {};
  all[directory] = { ...entry, hasTrustDialogAccepted: true };
  return all;
}
