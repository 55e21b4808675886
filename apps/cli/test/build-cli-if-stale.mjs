// jest globalSetup: builds dist/cli.js with tsup when it is missing or older than any source it
// bundles (this package's src, the @conduit/* packages' src, tsup.config.ts, package.json), so the
// subprocess tests always run the real bundle. A fresh build (as CI's `pnpm build` leaves) is reused.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repositoryDirectory = path.resolve(packageDirectory, '../..');
const bundle = path.join(packageDirectory, 'dist', 'cli.js');

function newestSourceTime(directory) {
  if (!existsSync(directory)) return 0;
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const entryPath = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === '__fixtures__') continue;
      newest = Math.max(newest, newestSourceTime(entryPath));
    } else if (/\.(tsx?|js|json|css)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) {
      newest = Math.max(newest, statSync(entryPath).mtimeMs);
    }
  }
  return newest;
}

/** The UI's browser client (copied into the CLI's dist by its tsup config), rebuilt when stale. */
function buildUIClientIfStale() {
  const uiDirectory = path.join(repositoryDirectory, 'packages', 'ui');
  const index = path.join(uiDirectory, 'dist', 'client', 'index.html');
  const newest = newestSourceTime(path.join(uiDirectory, 'src', 'client'));
  if (existsSync(index) && statSync(index).mtimeMs >= newest) return;
  const result = spawnSync(
    process.execPath,
    [path.join(uiDirectory, 'scripts', 'build-client.mjs')],
    {
      cwd: uiDirectory,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (result.status !== 0) throw new Error(`building the UI client failed (exit ${result.status})`);
}

export default function buildCliIfStale() {
  buildUIClientIfStale();
  const inputs = [
    path.join(repositoryDirectory, 'packages', 'ui', 'dist', 'client'),
    path.join(packageDirectory, 'src'),
    ...['core', 'server', 'monitoring', 'plugins', 'synapse', 'ui'].map(name =>
      path.join(repositoryDirectory, 'packages', name, 'src'),
    ),
  ];
  const newestInput = Math.max(
    ...inputs.map(newestSourceTime),
    statSync(path.join(packageDirectory, 'tsup.config.ts')).mtimeMs,
    statSync(path.join(packageDirectory, 'package.json')).mtimeMs,
  );
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestInput) return;
  const require = createRequire(import.meta.url);
  const tsupBin = path.join(
    path.dirname(require.resolve('tsup/package.json')),
    'dist',
    'cli-default.js',
  );
  const result = spawnSync(process.execPath, [tsupBin, '--silent'], {
    cwd: packageDirectory,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0)
    throw new Error(`building the CLI with tsup failed (exit ${result.status})`);
}
