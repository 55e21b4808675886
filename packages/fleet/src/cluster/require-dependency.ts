import { createRequire } from 'node:module';

/**
 * Loads a CommonJS dependency when it is first needed rather than when the package is imported:
 * ioredis and pg cost about 25 and 15 MB of memory and a few hundred milliseconds of start-up,
 * and only a fleet with Redis-shared state or PostgreSQL keys uses them (every `conduit start`
 * imports this package). Resolved from this module, which works from the ESM and CJS builds and
 * from a bundle that keeps them external (the CLI).
 */
export const requireDependency = createRequire(import.meta.url);
