import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(
  readFileSync(new URL('./package.json', import.meta.url), 'utf8'),
) as {
  version: string;
};

/**
 * One ESM bundle: `dist/cli.js` (the `conduit`/`ccr` bin) and `dist/index.js` (the library entry).
 *
 * - The `@conduit/*` workspace packages are bundled from their source (`@conduit/source`
 *   condition), together with their pure-JS dependencies (zod, hono, undici, json5, …), so the CLI
 *   does not depend on the other packages' builds.
 * - The CLI's own `dependencies` stay external (tsup's default): packages that load files next to
 *   their own code at run time — better-sqlite3 (native addon), pg (optional pg-native), pino
 *   (worker files) — and yargs, rotating-file-stream. They resolve from the package's node_modules.
 *   The token counter (gpt-tokenizer, pure JS) is bundled: no wasm to copy beside the bundle.
 * - Bundled CommonJS dependencies call `require()` for Node built-ins; the banner gives the ESM
 *   bundle a real `require` so those calls work.
 */
export default defineConfig({
  entry: { cli: 'src/bin.ts', index: 'src/index.ts' },
  format: ['esm'],
  platform: 'node',
  target: 'node20',
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  splitting: true,
  noExternal: [/^@conduit\//],
  esbuildOptions(options) {
    options.conditions = ['@conduit/source', 'import', 'node'];
  },
  define: { __CONDUIT_VERSION__: JSON.stringify(version) },
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __conduitCreateRequire } from 'node:module';",
      'const require = __conduitCreateRequire(import.meta.url);',
    ].join('\n'),
  },
});
