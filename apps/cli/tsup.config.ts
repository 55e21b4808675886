import { cpSync, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { build, defineConfig, type Options } from 'tsup';

type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

const { version } = JSON.parse(
  readFileSync(new URL('./package.json', import.meta.url), 'utf8'),
) as {
  version: string;
};

/**
 * zod's `locales` namespace (`z.locales`, `z.core.locales`): error messages in some 60 languages,
 * more than half of `dist/zod.cjs`, which a process parses whole when it first needs a schema.
 * Nothing in Conduit switches zod's language (the schemas report English, which
 * `zod/v4/classic/schemas.js` imports on its own), so the bundle's namespace carries English only.
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
 * zod, bundled on its own as `dist/zod.cjs` (built in `onSuccess`): `loadZod` (packages/core) is
 * its only importer, through a synchronous `require('zod')` that runs for the first schema, which
 * a valid config and `conduit start` never build. Left in the shared chunk, zod was a third of the
 * bytes V8 compiles before the gateway listens; as a separate file it is read only when a schema is
 * first needed. The chunks sit next to it in `dist`, so `require('./zod.cjs')` finds it.
 */
const zodOnItsOwn: EsbuildPlugin = {
  name: 'zod-on-its-own',
  setup(build) {
    build.onResolve({ filter: /^zod$/ }, args =>
      args.kind === 'require-call' ? { path: './zod.cjs', external: true } : undefined,
    );
  },
};

/** zod's ES module entry, from `@conduit/core`'s dependency (the CLI itself does not depend on zod). */
function zodESMEntry(): string {
  const requireFromCore = createRequire(
    new URL('../../packages/core/package.json', import.meta.url),
  );
  return join(dirname(requireFromCore.resolve('zod/package.json')), 'index.js');
}

/**
 * json5, bundled on its own as `dist/json5.cjs` (built in `onSuccess`) and required by the first
 * `JSON5.parse`: a config file that is plain JSON never needs it (`parseJSON5File` tries
 * `JSON.parse` first), so `conduit start` does not compile it before it listens. Every import of
 * `json5` in the bundle gets a default export whose `parse` calls through to the real one (the
 * bundled code uses nothing else; another name fails the build or, for `JSON5.x`, the typecheck).
 */
const json5OnFirstParse: EsbuildPlugin = {
  name: 'json5-on-first-parse',
  setup(build) {
    build.onResolve({ filter: /^json5$/ }, args =>
      args.kind === 'import-statement' || args.kind === 'dynamic-import'
        ? { path: 'json5', namespace: 'json5-on-first-parse' }
        : undefined,
    );
    build.onResolve({ filter: /^json5-bundle$/ }, () => ({ path: './json5.cjs', external: true }));
    build.onLoad({ filter: /.*/, namespace: 'json5-on-first-parse' }, () => ({
      contents: [
        'let json5;',
        "const load = () => (json5 ??= require('json5-bundle'));",
        'export default { parse: (...args) => load().parse(...args) };',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

/** json5's CommonJS entry, from `@conduit/core`'s dependency. */
function json5CommonJSEntry(): string {
  const requireFromCore = createRequire(
    new URL('../../packages/core/package.json', import.meta.url),
  );
  return requireFromCore.resolve('json5');
}

/** What the bundled code imports from `node:crypto`: all functions (see {@link cryptoOnFirstCall}). */
const cryptoFunctions = [
  'createHash',
  'createHmac',
  'randomBytes',
  'randomUUID',
  'timingSafeEqual',
];

/**
 * `node:crypto` loaded on the first call of one of its functions, not when a chunk that imports it
 * is linked: Node's crypto module (and the WebCrypto it sets up) cost `conduit start` a few ms
 * before it listens, and starting up calls none of them. Every `import { … } from 'node:crypto'`
 * of the bundle gets a module whose exports call through to the real ones; importing a name that
 * is not in {@link cryptoFunctions} fails the build (esbuild: no matching export).
 */
const cryptoOnFirstCall: EsbuildPlugin = {
  name: 'crypto-on-first-call',
  setup(build) {
    build.onResolve({ filter: /^(node:)?crypto$/ }, args =>
      args.kind === 'import-statement'
        ? { path: 'crypto', namespace: 'crypto-on-first-call' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'crypto-on-first-call' }, () => ({
      contents: [
        'let crypto;',
        "const load = () => (crypto ??= process.getBuiltinModule('node:crypto'));",
        ...cryptoFunctions.map(
          name => `export function ${name}(...args) { return load().${name}(...args); }`,
        ),
      ].join('\n'),
      loader: 'js',
    }));
  },
};

/** What lru-cache's Node build (`dist/esm/node/index.min.js`) picks as its clock, at its top level. */
const lruCacheClockChoice =
  'typeof performance=="object"&&performance&&typeof performance.now=="function"?performance:Date';

/**
 * lru-cache's clock read on its first use, not when the chunk that bundles lru-cache is
 * evaluated: lru-cache reads the global `performance` at its top level, and in Node the first read
 * of that global loads `perf_hooks` and nine `node:internal/perf` modules, which `conduit start`
 * needs for nothing before it listens. Node always has `performance.now`, the clock lru-cache
 * picks there, so the caches keep the same clock. A new lru-cache that chooses its clock another
 * way fails the build here, rather than silently loading `perf_hooks` again.
 */
const lruCacheClockOnFirstUse: EsbuildPlugin = {
  name: 'lru-cache-clock-on-first-use',
  setup(build) {
    build.onLoad(
      { filter: /[\\/]lru-cache[\\/]dist[\\/]esm[\\/]node[\\/]index\.min\.js$/ },
      args => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes(lruCacheClockChoice)) {
          throw new Error(`${args.path}: lru-cache no longer picks its clock as expected`);
        }
        return {
          contents: source.replace(lruCacheClockChoice, '{now:()=>performance.now()}'),
          loader: 'js',
        };
      },
    );
  },
};

/**
 * A single-file CommonJS bundle in `dist` (`<name>.cjs`, with a source map without
 * `sourcesContent`): zod and json5, required on first use, and the statusline script.
 */
async function buildCommonJS(
  entry: Record<string, string>,
  options: Pick<Options, 'noExternal' | 'esbuildPlugins'> & { minify: boolean },
): Promise<void> {
  await build({
    config: false,
    entry,
    format: ['cjs'],
    outExtension: () => ({ js: '.cjs' }),
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    clean: false,
    dts: false,
    splitting: false,
    silent: true,
    noExternal: options.noExternal,
    esbuildPlugins: options.esbuildPlugins,
    esbuildOptions(esbuild) {
      esbuild.sourcesContent = false;
      esbuild.minifyWhitespace = options.minify;
      esbuild.minifySyntax = options.minify;
    },
  });
}

/**
 * One ESM bundle: `dist/cli.js` (the `conduit`/`ccr` bin) and `dist/index.js` (the library entry).
 *
 * - The `@conduit/*` workspace packages are bundled from their source (`@conduit/source`
 *   condition), together with the small pure-JS libraries that `conduit start` loads as hundreds
 *   of separate modules (hono, json5, jsonrepair, lru-cache,
 *   eventsource-parser): resolving and compiling those one by one was most of the cold start, and
 *   they add little to the tarball. They are not in `dependencies` (json5, which the CLI imports
 *   itself, is a devDependency): the tarball does not need them installed.
 * - zod and json5 are not in the chunks: they are `dist/zod.cjs` and `dist/json5.cjs` (see
 *   `zodOnItsOwn`, `json5OnFirstParse`), and `node:crypto` loads on first call (see
 *   `cryptoOnFirstCall`): `conduit start` needs none of them to listen.
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
 *   bundle a real `require` so those calls work. Each chunk creates it on its first call: every
 *   chunk carries the banner, `conduit start` evaluates seven of them before it listens, and none
 *   of them calls `require` by then (the bundled code calls it, never `require.resolve` or other
 *   properties, which the function would not have).
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
    /^hono(\/|$)/,
    /^json5(\/|$)/,
    /^jsonrepair(\/|$)/,
    /^lru-cache(\/|$)/,
    /^eventsource-parser(\/|$)/,
  ],
  // Keeps `node:` in the imports of built-ins, so `cryptoOnFirstCall` sees `node:crypto` (tsup's
  // own plugin would strip the prefix and mark the import external before any of ours runs).
  removeNodeProtocol: false,
  esbuildPlugins: [zodOnItsOwn, json5OnFirstParse, cryptoOnFirstCall, lruCacheClockOnFirstUse],
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
    await buildCommonJS(
      { zod: zodESMEntry() },
      {
        noExternal: [/^zod(\/|$)/],
        esbuildPlugins: [zodEnglishOnly],
        minify: true,
      },
    );
    await buildCommonJS({ json5: json5CommonJSEntry() }, { noExternal: [/.*/], minify: true });
    await buildCommonJS({ statusline: 'src/statusline/statusline-main.ts' }, { minify: false });
  },
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __conduitCreateRequire } from 'node:module';",
      'let __conduitRequire;',
      'const require = id => (__conduitRequire ??= __conduitCreateRequire(import.meta.url))(id);',
    ].join('\n'),
  },
});
