import { cpSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { build, defineConfig, type Options } from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

const { version } = JSON.parse(
  readFileSync(new URL('./package.json', import.meta.url), 'utf8'),
) as {
  version: string;
};

/**
 * zod's `locales` namespace (`z.locales`, `z.core.locales`): error messages in some 60 languages, a
 * quarter of the bundle that `conduit start` parses before it listens. Nothing in Conduit
 * switches zod's language (the schemas report English, which `zod/v4/classic/schemas.js` imports
 * on its own), so the bundle's namespace carries English only.
 */
const zodEnglishOnly: EsbuildPlugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, args =>
      args.importer.includes(`${sep}zod${sep}v4${sep}`)
        ? {
            path: 'zod-locales',
            namespace: 'zod-english-only',
            pluginData: join(dirname(args.importer), '..', 'locales'),
          }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, args => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: args.pluginData as string,
    }));
  },
};

/**
 * One ESM bundle: `dist/cli.js` (the `conduit`/`ccr` bin) and `dist/index.js` (the library entry).
 *
 * - The `@conduit/*` workspace packages are bundled from their source (`@conduit/source`
 *   condition), together with the small pure-JS libraries that `conduit start` loads as hundreds
 *   of separate modules (zod, hono, json5, jsonrepair, lru-cache,
 *   eventsource-parser): resolving and compiling those one by one was most of the cold start, and
 *   they add little to the tarball. They are not in `dependencies` (json5, which the CLI imports
 *   itself, is a devDependency): the tarball does not need them installed.
 * - The other `dependencies` stay external (tsup's default), which keeps the tarball small:
 *   packages that load files next to their own code at run time — better-sqlite3 (native addon),
 *   pg (optional pg-native), pino (worker files), yargs (locale files) — and the large ones
 *   (undici, the gpt-tokenizer encoding, prom-client, rotating-file-stream). pino and
 *   rotating-file-stream are imported only by the daemon's file logger; pg and better-sqlite3 only
 *   when a usage ledger of that kind opens. They resolve from the package's node_modules.
 * - Source maps carry mappings only (no `sourcesContent`): stack traces still point at the
 *   original files and lines, and the tarball carries no second copy of every bundled source.
 * - Whitespace and syntax are minified (names are kept): V8 parses every byte of a chunk when it
 *   loads, and keeps its source text for as long as the process runs. Comments are dropped too:
 *   one non-ASCII character in a comment made V8 hold the whole 1.7 MB chunk as a two-byte
 *   string (3.4 MB). The source maps still lead back to the original lines.
 * - `@conduit/ui`'s built browser client (`packages/ui/dist/client`) is copied to `dist/client`,
 *   where the bundled UI server code looks for it.
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
  noExternal: [
    /^@conduit\//,
    /^zod(\/|$)/,
    /^hono(\/|$)/,
    /^json5(\/|$)/,
    /^jsonrepair(\/|$)/,
    /^lru-cache(\/|$)/,
    /^eventsource-parser(\/|$)/,
  ],
  esbuildPlugins: [zodEnglishOnly],
  esbuildOptions(options) {
    options.sourcesContent = false;
    options.conditions = ['@conduit/source', 'import', 'node'];
    options.minifyWhitespace = true;
    options.minifySyntax = true;
  },
  define: { __CONDUIT_VERSION__: JSON.stringify(version) },
  async onSuccess() {
    const client = new URL('../../packages/ui/dist/client', import.meta.url);
    if (!existsSync(client)) {
      throw new Error('packages/ui/dist/client is missing: build @conduit/ui first');
    }
    cpSync(client, new URL('./dist/client', import.meta.url), { recursive: true });
    await build({
      config: false,
      entry: { statusline: 'src/statusline/statusline-main.ts' },
      format: ['cjs'],
      outExtension: () => ({ js: '.cjs' }),
      platform: 'node',
      target: 'node20',
      sourcemap: true,
      clean: false,
      dts: false,
      splitting: false,
      silent: true,
      esbuildOptions(options) {
        options.sourcesContent = false;
      },
    });
  },
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __conduitCreateRequire } from 'node:module';",
      'const require = __conduitCreateRequire(import.meta.url);',
    ].join('\n'),
  },
});
