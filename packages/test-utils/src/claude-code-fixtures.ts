import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The Claude Code captures this repository owns: `packages/test-utils/fixtures/claude-code/`
 * (see the README there for how they were captured and sanitized).
 */
export const fixturesDirectory = new URL('../fixtures/claude-code/', import.meta.url);

/** Absolute path of a fixture file. */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(name, fixturesDirectory));
}

/** A fixture's text, exactly as stored. */
export function readFixtureText(name: string): string {
  return readFileSync(fixturePath(name), 'utf8');
}

/** A JSON fixture, parsed. */
export function readFixtureJSON<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFixtureText(name)) as T;
}

/** Every fixture file name matching `pattern`, sorted. */
export function listFixtures(pattern: RegExp): string[] {
  return readdirSync(fixturesDirectory)
    .filter(name => pattern.test(name))
    .sort();
}

/** The `/v1/messages` request bodies Claude Code sent (`cc-*-messages.json`). */
export function listMessagesFixtures(): string[] {
  return listFixtures(/-messages\.json$/);
}

/** The `/v1/messages/count_tokens` bodies (`cc-context-*-count_tokens.json`). */
export function listCountTokensFixtures(): string[] {
  return listFixtures(/-count_tokens\.json$/);
}

/** One entry of `requests-index.json`: how a fixture was sent. */
export interface FixtureIndexEntry {
  file: string;
  scenario: string;
  what: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  original_body_bytes: number;
  model: string;
  stream: boolean;
}

/** `requests-index.json`, by file name. */
export function readFixtureIndex(): Map<string, FixtureIndexEntry> {
  const index = readFixtureJSON<{ requests: FixtureIndexEntry[] }>('requests-index.json');
  return new Map(index.requests.map(entry => [entry.file, entry]));
}
