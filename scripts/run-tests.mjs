#!/usr/bin/env node
// `pnpm test`: one jest run across every workspace package (ESM mode needs the vm-modules flag).
// Ends with a plain `N passed, N failed, N skipped` line so CI logs state the result in one place;
// a suite that could not run (it failed to load, or threw outside a test) counts as failed there.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { summarize } from './summarize-jest-report.mjs';

const require = createRequire(import.meta.url);
const jestBin = path.join(path.dirname(require.resolve('jest')), '..', 'bin', 'jest.js');
const reportDirectory = mkdtempSync(path.join(tmpdir(), 'conduit-jest-'));
const reportFile = path.join(reportDirectory, 'report.json');
const args = [
  '--experimental-vm-modules',
  '--no-warnings=ExperimentalWarning',
  jestBin,
  ...(process.env.CI ? ['--ci'] : []),
  '--json',
  `--outputFile=${reportFile}`,
  ...process.argv.slice(2),
];
const result = spawnSync(process.execPath, args, { stdio: 'inherit' });
try {
  console.log(`\n${summarize(JSON.parse(readFileSync(reportFile, 'utf8')))}`);
} catch {
  console.log('\n0 passed, 1 failed (jest wrote no report)');
}
rmSync(reportDirectory, { recursive: true, force: true });
process.exit(result.status ?? 1);
