#!/usr/bin/env node
// Every published package whose shipped files changed since the last release must be named in a
// changeset under .changeset/ (pending changesets are deleted by `changeset version` at release time,
// so "since the last release" is: since the newest commit that touched a CHANGELOG.md, or the root).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { listPublishedPackages, repoRoot } from './published-packages.mjs';

const git = (...args) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
const lastRelease =
  git('log', '-1', '--format=%H', '--', '**/CHANGELOG.md') ||
  git('rev-list', '--max-parents=0', 'HEAD').split('\n').pop();
const changed = new Set(
  git('diff', '--name-only', lastRelease, 'HEAD').split('\n').filter(Boolean),
);

const pending = readdirSync(path.join(repoRoot, '.changeset'))
  .filter(file => file.endsWith('.md') && file !== 'README.md')
  .map(file => readFileSync(path.join(repoRoot, '.changeset', file), 'utf8'));
const named = new Set();
for (const text of pending) {
  const frontmatter = text.split('---')[1] ?? '';
  for (const match of frontmatter.matchAll(/["']?(@conduit\/[a-z-]+)["']?\s*:/g))
    named.add(match[1]);
}

const missing = [];
for (const pkg of listPublishedPackages()) {
  const relative = path.relative(repoRoot, pkg.dir);
  const touched = [...changed].some(
    file =>
      file.startsWith(`${relative}/src/`) && !/\.test\.ts$|__fixtures__|__snapshots__/.test(file),
  );
  if (touched && !named.has(pkg.name)) missing.push(pkg.name);
}
if (missing.length > 0) {
  console.error(
    `These packages changed since ${lastRelease.slice(0, 8)} without a changeset: ${missing.join(', ')}`,
  );
  console.error('Add one with `pnpm changeset` (one line, `type(scope): summary`).');
  process.exit(1);
}
console.log(
  `Changesets cover every changed package (${named.size} named in ${pending.length} pending changesets).`,
);
