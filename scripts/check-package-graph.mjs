#!/usr/bin/env node
// The package graph, checked (issue 15): which Conduit package may depend on which, and no import
// cycles between files. Reads every workspace package's package.json and the `@conduit/*` and
// relative imports of its TypeScript sources (`.ts` and `.tsx` in src/, test/, bin/ and scripts/;
// tests included: a test may not reach a package its package does not declare).
//   node scripts/check-package-graph.mjs          exit 1 and list every violation
//   node scripts/check-package-graph.mjs --json   print the graph (used by its test)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { listSourceFiles } from './lib/list-source-files.mjs';

export const repoRoot = path.resolve(import.meta.dirname, '..');

/**
 * Which Conduit packages each package may list (dependencies, devDependencies, peers) and import.
 * Core is the spec; server, plugins and monitoring implement it; Synapse reads the ledger; only the
 * meta-package composes them; the CLI builds on the meta-package. `test-utils` is the private
 * test kit every package may use in tests.
 */
export const allowedDependencies = {
  '@conduit/core': [],
  '@conduit/test-utils': [],
  '@conduit/server': ['@conduit/core', '@conduit/test-utils'],
  '@conduit/plugins': ['@conduit/core', '@conduit/test-utils'],
  '@conduit/monitoring': ['@conduit/core', '@conduit/test-utils'],
  '@conduit/synapse': ['@conduit/core', '@conduit/monitoring', '@conduit/test-utils'],
  // The server and plugins only in devDependencies: its tests run the UI in a real gateway.
  '@conduit/ui': [
    '@conduit/core',
    '@conduit/monitoring',
    '@conduit/server',
    '@conduit/plugins',
    '@conduit/test-utils',
  ],
  // Virtual keys, limits and budgets: keys beside the ledger, budgets seeded from it.
  '@conduit/fleet': ['@conduit/core', '@conduit/monitoring', '@conduit/test-utils'],
  '@conduit/conduit': [
    '@conduit/core',
    '@conduit/server',
    '@conduit/plugins',
    '@conduit/monitoring',
    '@conduit/synapse',
    '@conduit/ui',
    '@conduit/fleet',
    '@conduit/test-utils',
    // Peer only: the meta-package's `conduit` bin delegates to the CLI.
    '@conduit/cli',
  ],
  '@conduit/cli': ['@conduit/conduit', '@conduit/test-utils'],
  '@conduit/bench': [
    '@conduit/core',
    '@conduit/server',
    '@conduit/monitoring',
    '@conduit/conduit',
    '@conduit/test-utils',
  ],
};

/** Only these may list a package as a peer (a peer is not an edge of the build graph). */
const peerOnly = { '@conduit/conduit': ['@conduit/cli'] };

/** Only these may list a package in devDependencies alone (and import it only from tests). */
const devOnly = { '@conduit/ui': ['@conduit/server', '@conduit/plugins'] };

function listWorkspacePackages() {
  const folders = ['packages', 'apps'].flatMap(parent =>
    readdirSync(path.join(repoRoot, parent)).map(name => path.join(parent, name)),
  );
  folders.push('bench');
  return folders
    .filter(folder =>
      statSync(path.join(repoRoot, folder, 'package.json'), { throwIfNoEntry: false }),
    )
    .map(folder => {
      const manifest = JSON.parse(
        readFileSync(path.join(repoRoot, folder, 'package.json'), 'utf8'),
      );
      return { folder, manifest };
    });
}

const importPattern =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[^\w.])import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

/** The module specifiers a file imports (static, re-exports, dynamic with a literal, side-effect). */
export function readImports(source) {
  const specifiers = [];
  for (const match of source.matchAll(importPattern)) {
    specifiers.push(match[1] ?? match[2] ?? match[3]);
  }
  return specifiers;
}

/** Test code: `*.test.ts`, a `test/` folder, or a `test-*` helper. */
function isTestFile(relativeFile) {
  return /(^|\/)test\/|\.test\.tsx?$|(^|\/)test-[^/]*$/.test(relativeFile);
}

function resolveRelative(fromFile, specifier) {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const candidates = [
    base,
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.js$/, '.tsx'),
    base.replace(/\.mjs$/, '.mts'),
    `${base}.ts`,
    `${base}.tsx`,
    path.join(base, 'index.ts'),
  ];
  return candidates.find(candidate => statSync(candidate, { throwIfNoEntry: false })?.isFile());
}

/** Cycles among `graph`'s nodes (Tarjan's strongly connected components of size > 1, or self-loops). */
export function findCycles(graph) {
  let index = 0;
  const indexes = new Map();
  const lowLinks = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  const visit = node => {
    indexes.set(node, index);
    lowLinks.set(node, index);
    index++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indexes.has(next)) {
        visit(next);
        lowLinks.set(node, Math.min(lowLinks.get(node), lowLinks.get(next)));
      } else if (onStack.has(next)) {
        lowLinks.set(node, Math.min(lowLinks.get(node), indexes.get(next)));
      }
    }
    if (lowLinks.get(node) === indexes.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component);
    }
  };
  for (const node of graph.keys()) if (!indexes.has(node)) visit(node);
  return cycles;
}

/** Every violation of the rules above, as readable lines. */
export function checkPackageGraph() {
  const problems = [];
  const packages = listWorkspacePackages();
  const fileGraph = new Map();
  for (const { folder, manifest } of packages) {
    const name = manifest.name;
    const allowed = allowedDependencies[name];
    if (!allowed) {
      problems.push(`${name} (${folder}): not in scripts/check-package-graph.mjs; add its rule`);
      continue;
    }
    for (const field of [
      'dependencies',
      'devDependencies',
      'peerDependencies',
      'optionalDependencies',
    ]) {
      for (const dependency of Object.keys(manifest[field] ?? {})) {
        if (!dependency.startsWith('@conduit/')) continue;
        if (!allowed.includes(dependency)) {
          problems.push(
            `${name} lists ${dependency} in ${field}; it may depend on ${allowed.join(', ') || 'no Conduit package'}`,
          );
        } else if (peerOnly[name]?.includes(dependency) && field !== 'peerDependencies') {
          problems.push(
            `${name} may list ${dependency} only as a peer (a dependency would make a cycle)`,
          );
        } else if (devOnly[name]?.includes(dependency) && field !== 'devDependencies') {
          problems.push(`${name} may list ${dependency} only in devDependencies (for its tests)`);
        }
      }
    }
    const declared = new Set(
      ['dependencies', 'devDependencies', 'peerDependencies'].flatMap(field =>
        Object.keys(manifest[field] ?? {}),
      ),
    );
    for (const directory of ['src', 'test', 'bin', 'scripts']) {
      for (const file of listSourceFiles(path.join(repoRoot, folder, directory))) {
        const relativeFile = path.relative(repoRoot, file);
        const edges = [];
        for (const specifier of readImports(readFileSync(file, 'utf8'))) {
          if (specifier.startsWith('.')) {
            const target = resolveRelative(file, specifier);
            if (target) edges.push(path.relative(repoRoot, target));
            continue;
          }
          const packageName = specifier.split('/').slice(0, 2).join('/');
          if (!packageName.startsWith('@conduit/') || packageName === name) continue;
          if (!declared.has(packageName)) {
            problems.push(`${relativeFile} imports ${packageName}, which ${name} does not declare`);
          } else if (!allowed.includes(packageName)) {
            problems.push(`${relativeFile} imports ${packageName}; ${name} may not depend on it`);
          } else if (devOnly[name]?.includes(packageName) && !isTestFile(relativeFile)) {
            problems.push(
              `${relativeFile} imports ${packageName}, which ${name} may use in tests only`,
            );
          }
        }
        fileGraph.set(relativeFile, edges);
      }
    }
  }
  for (const cycle of findCycles(fileGraph)) {
    problems.push(`import cycle between files: ${cycle.reverse().join(' -> ')}`);
  }
  return { problems, files: fileGraph.size, packages: packages.map(entry => entry.manifest.name) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = checkPackageGraph();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(result, null, 2));
  } else if (result.problems.length > 0) {
    console.error(
      `Package graph: ${result.problems.length} problem(s)\n  ${result.problems.join('\n  ')}`,
    );
  } else {
    console.log(
      `Package graph OK: ${result.packages.length} packages, ${result.files} files, no cycles.`,
    );
  }
  process.exit(result.problems.length > 0 ? 1 : 0);
}
