#!/usr/bin/env node
// publint and `attw --pack` on every published package (run after `pnpm build`), plus the tarball
// size budget: published tarballs stay small (no tests, fixtures or stray files).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { listPublishedPackages, repoRoot } from './published-packages.mjs';

const budgets = JSON.parse(
  readFileSync(path.join(repoRoot, 'scripts/package-size-budget.json'), 'utf8'),
);
const bin = name => path.join(repoRoot, 'node_modules/.bin', name);
const failures = [];

for (const pkg of listPublishedPackages()) {
  console.log(`\n== ${pkg.name}`);
  const publint = spawnSync(bin('publint'), ['--strict'], { cwd: pkg.dir, stdio: 'inherit' });
  if (publint.status !== 0) failures.push(`${pkg.name}: publint`);

  // ESM-only packages (the CLI) have no require() entry by design.
  const esmOnly = !JSON.stringify(pkg.manifest.exports ?? {}).includes('"require"');
  // Subpath exports cannot resolve under the legacy node10 resolution (TypeScript's old `node`
  // mode, which ignores `exports`); those packages are checked for node16 and bundlers.
  const subpaths = Object.keys(pkg.manifest.exports ?? {}).filter(
    key => key !== '.' && key !== './package.json',
  );
  const attwArgs = ['--pack', '.', '--format', 'ascii'];
  if (esmOnly) attwArgs.push('--profile', 'esm-only');
  else if (subpaths.length > 0) attwArgs.push('--profile', 'node16');
  const attw = spawnSync(bin('attw'), attwArgs, { cwd: pkg.dir, encoding: 'utf8' });
  process.stdout.write(attw.stdout.split('\n').slice(-12).join('\n'));
  if (attw.status !== 0) failures.push(`${pkg.name}: attw`);

  const pack = spawnSync('npm', ['pack', '--dry-run', '--json'], {
    cwd: pkg.dir,
    encoding: 'utf8',
  });
  const [info] = JSON.parse(pack.stdout);
  const unwanted = info.files
    .map(file => file.path)
    .filter(file => /\.test\.ts$|__fixtures__|__snapshots__|(^|\/)test\//.test(file));
  const budget = budgets[pkg.name];
  console.log(
    `tarball: ${(info.size / 1024).toFixed(1)} KB packed, ${info.files.length} files (budget ${budget ?? 'none'} KB)`,
  );
  if (unwanted.length > 0)
    failures.push(`${pkg.name}: tarball contains test files: ${unwanted.slice(0, 5).join(', ')}`);
  if (budget === undefined)
    failures.push(`${pkg.name}: no size budget in scripts/package-size-budget.json`);
  else if (info.size / 1024 > budget)
    failures.push(
      `${pkg.name}: tarball ${(info.size / 1024).toFixed(1)} KB is over its ${budget} KB budget`,
    );
}

// The UI's browser bundle: gzipped size of everything the browser downloads (index.html, JS, CSS).
const uiClient = path.join(repoRoot, 'packages/ui/dist/client');
const uiBudget = budgets['@conduit/ui client (gzip)'];
if (existsSync(uiClient)) {
  let gzipBytes = 0;
  const walk = directory => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!/\.(gz|br|map)$/.test(entry.name))
        gzipBytes += gzipSync(readFileSync(full), { level: 9 }).length;
    }
  };
  walk(uiClient);
  console.log(
    `\n== @conduit/ui client: ${(gzipBytes / 1024).toFixed(1)} KB gzipped (budget ${uiBudget} KB)`,
  );
  if (gzipBytes / 1024 > uiBudget)
    failures.push(
      `@conduit/ui client: ${(gzipBytes / 1024).toFixed(1)} KB gzipped is over its ${uiBudget} KB budget`,
    );
} else {
  failures.push('@conduit/ui client: packages/ui/dist/client is missing (run pnpm build)');
}

if (failures.length > 0) {
  console.error(`\nPackage checks failed:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log('\nAll published packages pass publint, attw and their size budgets.');
