#!/usr/bin/env node
// Installs the pinned Codex CLI (OpenAI's coding agent, `@openai/codex` from npm; its native
// binary ships inside the package) into .cache/agents/, where the Codex end-to-end test
// (packages/server/src/inbound/e2e/codex-cli.test.ts) finds it. CI runs this before `pnpm test`;
// locally the test skips, saying to run it, when Codex is missing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export const codexVersion = '0.171.0';
const repoRoot = path.resolve(import.meta.dirname, '..');
const prefix = path.join(repoRoot, '.cache', 'agents');
const binary = path.join(prefix, 'node_modules', '.bin', 'codex');

const installed = spawnSync(binary, ['--version'], { encoding: 'utf8' });
if (existsSync(binary) && installed.stdout?.includes(codexVersion)) {
  console.log(`Codex CLI ${codexVersion} already installed at ${binary}`);
  process.exit(0);
}
mkdirSync(prefix, { recursive: true, mode: 0o700 });
const result = spawnSync(
  'npm',
  [
    'install',
    '--prefix',
    prefix,
    '--no-save',
    '--no-audit',
    '--no-fund',
    `@openai/codex@${codexVersion}`,
  ],
  { stdio: 'inherit' },
);
if (result.status !== 0) {
  console.error(
    `Installing @openai/codex@${codexVersion} failed (npm exited with ${result.status}).`,
  );
  process.exit(1);
}
console.log(`Codex CLI ${codexVersion} installed at ${binary}`);
