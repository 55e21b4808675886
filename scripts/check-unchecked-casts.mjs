#!/usr/bin/env node
// `as unknown as` tells the compiler to stop checking (issue 15). The packages' and apps' non-test
// source may use it only with a `//` comment on the line or the line above saying why no checked
// type fits.
//   node scripts/check-unchecked-casts.mjs    exit 1 and list every uncommented one
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { listSourceFiles } from './lib/list-source-files.mjs';

const repoRoot = path.resolve(import.meta.dirname, '..');

/** Non-test source: test files and test-only folders are exempt. */
const listSources = directory =>
  listSourceFiles(directory, {
    skipFolders: ['node_modules', 'dist', 'test', '__fixtures__'],
    keep: name => !/\.test\.tsx?$|^test-/.test(name),
  });

const roots = ['packages', 'apps'].flatMap(parent =>
  readdirSync(path.join(repoRoot, parent)).map(name => path.join(repoRoot, parent, name)),
);
const problems = [];
for (const file of roots.flatMap(root => listSources(root))) {
  const relative = path.relative(repoRoot, file);
  if (relative.startsWith('packages/test-utils/')) continue;
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, index) => {
    if (!line.includes('as unknown as')) return;
    const explained = line.includes('//') || /^\s*\/\//.test(lines[index - 1] ?? '');
    if (!explained) problems.push(`${relative}:${index + 1}: ${line.trim()}`);
  });
}
if (problems.length > 0) {
  console.error(
    `${problems.length} uncommented \`as unknown as\` in non-test source (use a checked type or a guard, or say why in a // comment):\n  ${problems.join('\n  ')}`,
  );
  process.exit(1);
}
console.log('No uncommented `as unknown as` in non-test source.');
