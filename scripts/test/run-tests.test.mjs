import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';
import { summarize } from '../summarize-jest-report.mjs';

const runTests = fileURLToPath(new URL('../run-tests.mjs', import.meta.url));
const projects = [];
afterEach(() => {
  for (const project of projects.splice(0)) rmSync(project, { recursive: true, force: true });
});

/** A throw-away jest project: its own config, one passing suite and one that cannot load. */
function createProjectWithBrokenSuite() {
  const project = mkdtempSync(path.join(tmpdir(), 'conduit-run-tests-'));
  projects.push(project);
  writeFileSync(
    path.join(project, 'jest.config.json'),
    JSON.stringify({ testEnvironment: 'node', transform: {}, testMatch: ['**/*.test.mjs'] }),
  );
  writeFileSync(
    path.join(project, 'passing.test.mjs'),
    "test('adds', () => { expect(1 + 1).toBe(2); });\n",
  );
  writeFileSync(
    path.join(project, 'broken.test.mjs'),
    "import './does-not-exist.mjs';\ntest('never runs', () => {});\n",
  );
  return project;
}

describe('scripts/run-tests.mjs', () => {
  it('counts a suite that fails to load as failed in its closing line and exit code', () => {
    const project = createProjectWithBrokenSuite();
    const result = spawnSync(process.execPath, [runTests], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
      timeout: 60_000,
    });
    const closingLine = result.stdout.trim().split('\n').pop();
    expect(closingLine).toBe('1 passed, 1 failed, 0 skipped (1 test suite failed to run)');
    expect(result.status).not.toBe(0);
  });
});

describe('summarize', () => {
  const base = { numPassedTests: 3, numFailedTests: 1, numPendingTests: 1, numTodoTests: 1 };

  it('reports tests only when every suite ran', () => {
    expect(summarize({ ...base, numRuntimeErrorTestSuites: 0, testResults: [] })).toBe(
      '3 passed, 1 failed, 2 skipped',
    );
  });

  it('counts suites with testExecError or a failure and no tests, even without the total', () => {
    const report = {
      ...base,
      testResults: [
        { status: 'failed', testExecError: { message: 'boom' }, assertionResults: [] },
        { status: 'failed', message: 'Cannot find module', assertionResults: [] },
        { status: 'failed', message: 'one test failed', assertionResults: [{ status: 'failed' }] },
      ],
    };
    expect(summarize(report)).toBe('3 passed, 3 failed, 2 skipped (2 test suites failed to run)');
  });
});
