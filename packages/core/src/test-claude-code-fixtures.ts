/**
 * Test helper: the Claude Code request fixtures, owned by the repository in
 * `packages/test-utils/fixtures/claude-code/` (core cannot depend on test-utils, which depends on core).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const claudeCodeFixturesDirectory = resolve(
  fileURLToPath(new URL('.', import.meta.url)),
  '../../test-utils/fixtures/claude-code',
);

/** File names of every request body fixture (`*-messages.json` and `*-count_tokens.json`). */
export function listClaudeCodeRequestFixtures(): string[] {
  return readdirSync(claudeCodeFixturesDirectory)
    .filter(name => name.endsWith('-messages.json') || name.endsWith('-count_tokens.json'))
    .sort();
}

// biome-ignore lint/suspicious/noExplicitAny: fixtures are arbitrary JSON bodies
export function readClaudeCodeFixture(name: string): any {
  return JSON.parse(readFileSync(join(claudeCodeFixturesDirectory, name), 'utf8'));
}
