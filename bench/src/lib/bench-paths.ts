import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The bench package directory (`<repo>/bench`). */
export const benchDirectory = resolve(here, '../..');
/** The monorepo root. */
export const repositoryRoot = resolve(benchDirectory, '..');
/** Where `latest.json` and `latest.md` are written. */
export const resultsDirectory = join(benchDirectory, 'results');
/** The built CLI (`conduit`), built on demand by the runner. */
export const cliEntry = join(repositoryRoot, 'apps/cli/dist/cli.js');

/**
 * The Claude Code fixtures the repository owns (`packages/test-utils/fixtures/claude-code`), or
 * `CONDUIT_FIXTURES_DIR` when set.
 */
export function resolveFixturesDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const candidate =
    env.CONDUIT_FIXTURES_DIR ?? join(repositoryRoot, 'packages/test-utils/fixtures/claude-code');
  if (!existsSync(join(candidate, 'cc-hi-01-messages.json'))) {
    throw new Error(
      `Claude Code fixtures not found in ${candidate} (expected cc-hi-01-messages.json). Set CONDUIT_FIXTURES_DIR to the fixtures folder.`,
    );
  }
  return candidate;
}

/** Node flags that run a TypeScript entry of this repository from source. */
export const sourceNodeFlags = ['--conditions=@conduit/source', '--import', 'tsx'];
