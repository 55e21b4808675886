#!/usr/bin/env node
// `as unknown as` tells the compiler to stop checking (issue 15). The packages' and apps' non-test
// source may use it only with a `//` comment on the line or the line above saying why no checked
// type fits.
//   node scripts/check-unchecked-casts.mjs    exit 1 and list every uncommented one
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(import.meta.dirname, '..');

function listSources(directory) {
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap(entry => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      return ['node_modules', 'dist', 'test', '__fixtures__'].includes(entry.name)
        ? []
        : listSources(full);
    }
    const isSource = /\.(ts|tsx|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts');
    const isTest = /\.test\.tsx?$|^test-/.test(entry.name);
    return isSource && !isTest ? [full] : [];
  });
}

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
