import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

type ZodModule = typeof import('zod');

let zodModule: ZodModule | undefined;

/**
 * zod, loaded on first use. Importing zod costs a process about 12 MB (its ~60 locales included),
 * and a valid config or request never needs it (see `parse-config-fast.ts`): it is loaded only for
 * the exported schemas and for the error messages of bad input.
 *
 * Synchronous, because `parseConfig` and the schemas are: a bundle that includes zod (the CLI) or
 * a CommonJS build answers `require('zod')`. In an ES module (`@conduit/core`'s ESM build) that
 * call throws; zod's ESM entry, found by `import.meta.resolve`, is required instead, so the process
 * shares the instance `import 'zod'` gives (Node >= 20.19 requires ES modules).
 */
export function loadZod(): ZodModule {
  zodModule ??= requireBundledZod() ?? requireInstalledZod();
  return zodModule;
}

/** Whether zod has been loaded in this process (by this module): for tests and diagnostics. */
export function isZodLoaded(): boolean {
  return zodModule !== undefined;
}

function requireBundledZod(): ZodModule | undefined {
  try {
    return require('zod') as ZodModule;
  } catch {
    return undefined;
  }
}

function requireInstalledZod(): ZodModule {
  const requireFromHere = createRequire(import.meta.url);
  const entry = resolveESMEntry();
  if (entry !== undefined) {
    try {
      return requireFromHere(entry) as ZodModule;
    } catch {
      // A runtime that cannot require ES modules (jest's module registry): zod's CommonJS build.
    }
  }
  return requireFromHere('zod') as ZodModule;
}

function resolveESMEntry(): string | undefined {
  try {
    const url = import.meta.resolve?.('zod');
    return url?.startsWith('file:') ? fileURLToPath(url) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `define(z)` run once, on the first call of the returned function: how a module builds its zod
 * schemas without loading zod when it is imported (export each one with `lazySchema`).
 */
export function schemasOnFirstUse<Schemas>(define: (z: ZodModule['z']) => Schemas): () => Schemas {
  let schemas: Schemas | undefined;
  return () => {
    schemas ??= define(loadZod().z);
    return schemas;
  };
}
