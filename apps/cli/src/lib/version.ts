import { readFileSync } from 'node:fs';

declare const __CONDUIT_VERSION__: string | undefined;

function readVersionFromPackageJson(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    return (JSON.parse(text) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The CLI's version: inlined by tsup at build time, read from package.json when run from source. */
export const conduitVersion: string =
  typeof __CONDUIT_VERSION__ === 'string' ? __CONDUIT_VERSION__ : readVersionFromPackageJson();
