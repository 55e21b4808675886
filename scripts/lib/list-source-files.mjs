import { readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Every TypeScript source file under `directory` (.ts, .tsx, .mts, .cts; not .d.ts), skipping the
 * folders named in `skipFolders`; `keep` filters by file name. A missing folder lists nothing.
 */
export function listSourceFiles(
  directory,
  { skipFolders = ['node_modules'], keep = () => true } = {},
) {
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap(entry => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) {
      return skipFolders.includes(entry.name) ? [] : listSourceFiles(full, { skipFolders, keep });
    }
    const isSource = /\.(ts|tsx|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts');
    return isSource && keep(entry.name) ? [full] : [];
  });
}
