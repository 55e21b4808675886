// The packages published to npm (everything in packages/ and apps/ that is not private).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..');

/** @returns {{ name: string, version: string, dir: string, manifest: any }[]} */
export function listPublishedPackages() {
  const packages = [];
  for (const group of ['packages', 'apps']) {
    for (const entry of readdirSync(path.join(repoRoot, group))) {
      const dir = path.join(repoRoot, group, entry);
      const manifestPath = path.join(dir, 'package.json');
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      if (manifest.private) continue;
      packages.push({ name: manifest.name, version: manifest.version, dir, manifest });
    }
  }
  return packages;
}
