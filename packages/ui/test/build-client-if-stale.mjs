// jest globalSetup: builds the browser client (dist/client) when it is missing or older than its
// sources, so the API and browser tests always serve the real client (a fresh `pnpm build` is reused).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const packageDirectory = path.resolve(import.meta.dirname, '..');

function newestTime(directory) {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const entryPath = path.join(directory, entry.name);
    newest = Math.max(
      newest,
      entry.isDirectory() ? newestTime(entryPath) : statSync(entryPath).mtimeMs,
    );
  }
  return newest;
}

export default function buildClientIfStale() {
  const index = path.join(packageDirectory, 'dist', 'client', 'index.html');
  const newest = Math.max(
    newestTime(path.join(packageDirectory, 'src', 'client')),
    statSync(path.join(packageDirectory, 'scripts', 'build-client.mjs')).mtimeMs,
  );
  if (existsSync(index) && statSync(index).mtimeMs >= newest) return;
  const result = spawnSync(
    process.execPath,
    [path.join(packageDirectory, 'scripts', 'build-client.mjs')],
    {
      cwd: packageDirectory,
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  if (result.status !== 0) throw new Error(`building the UI client failed (exit ${result.status})`);
}
