import { readFileSync } from 'node:fs';

/** Synchronous reads: a few tiny files, and node:fs/promises would be one more module to load. */
async function readFile(path: string, encoding: 'utf8'): Promise<string> {
  return readFileSync(path, encoding);
}
import { dirname, join, resolve } from 'node:path';

/**
 * The checked-out branch of the repository holding `directory`, read from `.git/HEAD` (spawning
 * `git` would cost more than the status line's whole budget); '' when there is none.
 */
export async function readGitBranch(directory: string | undefined): Promise<string> {
  if (!directory) return '';
  let current = resolve(directory);
  for (let depth = 0; depth < 40; depth++) {
    const dotGit = join(current, '.git');
    const head =
      (await readFile(join(dotGit, 'HEAD'), 'utf8').catch(() => undefined)) ??
      (await readWorktreeHead(dotGit));
    if (head !== undefined) {
      const match = /^ref: refs\/heads\/(.+)$/m.exec(head.trim());
      return match?.[1] ?? head.trim().slice(0, 7);
    }
    const parent = dirname(current);
    if (parent === current) return '';
    current = parent;
  }
  return '';
}

/** A worktree or submodule has a `.git` file: `gitdir: <path>`. */
async function readWorktreeHead(dotGit: string): Promise<string | undefined> {
  const pointer = await readFile(dotGit, 'utf8').catch(() => undefined);
  const gitDirectory = pointer && /^gitdir: (.+)$/m.exec(pointer)?.[1]?.trim();
  if (!gitDirectory) return undefined;
  return readFile(join(resolve(dirname(dotGit), gitDirectory), 'HEAD'), 'utf8').catch(
    () => undefined,
  );
}
