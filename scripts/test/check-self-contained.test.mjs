import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';
import { checkSelfContained } from '../check-self-contained.mjs';

const script = fileURLToPath(new URL('../check-self-contained.mjs', import.meta.url));
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const roots = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A git repository in a temporary folder holding `files` (path → text). */
function createRepository(files) {
  const root = mkdtempSync(path.join(tmpdir(), 'conduit-self-contained-'));
  roots.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  execFileSync('git', ['init', '-q'], { cwd: root });
  return root;
}

const problems = root => checkSelfContained(root).map(({ file, line }) => `${file}:${line}`);

describe('check-self-contained', () => {
  it('passes ordinary relative imports and paths that stay inside the repository', () => {
    const root = createRepository({
      'packages/server/src/providers/openai/adapter.ts':
        "import { ids } from '../common/response-ids.js';\nconst up = new URL('../../../../README.md', import.meta.url);\n",
      'bench/src/lib/paths.ts': [
        'const here = dirname(fileURLToPath(import.meta.url));',
        "export const benchDirectory = resolve(here, '../..');",
        "export const repositoryRoot = resolve(benchDirectory, '..');",
        "export const fixtures = join(repositoryRoot, 'packages/test-utils/fixtures');",
      ].join('\n'),
      'packages/core/tsconfig.json': '{ "extends": "../../tsconfig.base.json" }\n',
      'docs/guide.md': '[the README](../README.md) and [a site](https://example.com/../x)\n',
    });
    expect(problems(root)).toEqual([]);
  });

  it('flags each way a file can reach a folder outside the repository', () => {
    const root = createRepository({
      'packages/test-utils/src/fixtures.ts':
        "export const dir = new URL('../../../../sibling-checkout/fixtures/', import.meta.url);\n",
      'apps/cli/test/harness.ts': [
        "const packageDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');",
        'export const fixtures = path.resolve(',
        '  packageDirectory,',
        "  '../../../sibling-checkout/fixtures/claude-code',",
        ');',
      ].join('\n'),
      'scripts/install.mjs': "const fixture = path.join(repoRoot, '../sibling-checkout/x.json');\n",
      'bench/src/paths.ts': "const up = resolve(here, '..', '..', '..');\n",
      'src/markers.ts': '/** @see /work/shared/reference/traffic.md */\n',
      'README.md': 'Fixtures live in `<repo>/../shared`.\nSee [notes](../notes.md).\n',
      '.ci/run': '#!/usr/bin/env bash\ncat /work/shared/STYLE.md\n',
    });
    expect(problems(root).sort()).toEqual(
      [
        '.ci/run:2',
        'README.md:1',
        'README.md:2',
        'apps/cli/test/harness.ts:2',
        'bench/src/paths.ts:1',
        'packages/test-utils/src/fixtures.ts:1',
        'scripts/install.mjs:1',
        'src/markers.ts:1',
      ].sort(),
    );
  });

  it('skips captured data and lines marked as deliberate', () => {
    const root = createRepository({
      'packages/test-utils/fixtures/claude-code/cc-01.json': '{"cwd": "/work/project"}\n',
      'src/traversal.test.ts':
        "// self-contained: allow (a path-traversal test)\nconst evil = '../../../../etc/passwd';\n",
    });
    expect(problems(root)).toEqual([]);
  });

  it('finds nothing in this repository, and the CLI exits 1 naming the file when it does', () => {
    expect(problems(repositoryRoot)).toEqual([]);
    const root = createRepository({ 'a/b.ts': "const x = '../../outside';\n" });
    const result = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("a/b.ts:1: '../../outside' resolves above the repository root");
  });
});
