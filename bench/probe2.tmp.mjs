import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const repo = '/work/wt/i16';
const dir = mkdtempSync(join(tmpdir(), 'probe-'));
await build({
  entryPoints: { core: join(repo, 'packages/core/src/index.ts') }, outdir: dir, outExtension: { '.js': '.mjs' }, bundle: true, platform: 'node', format: 'esm', target: 'node20',
  conditions: ['@conduit/source'], logLevel: 'silent', plugins: process.env.STUB ? [{ name: 'stub', setup(b) { b.onResolve({ filter: new RegExp(process.env.STUB) }, a => ({ path: a.path, namespace: 'stub' })); b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export const countTokens = s => s.length/4|0; export const z = {}; export default {};' })); } }] : [],
  banner: { js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);" },
});
writeFileSync(join(dir, 'p.mjs'), `
import { readFileSync } from 'node:fs';
const text = readFileSync(process.argv[2], 'utf8');
const mb = () => { gc(); return Math.round(process.memoryUsage().rss/1048576*10)/10; };
const out = { start: mb() };
const core = await import('./core.mjs'); out.imported = mb();
const router = core.createConduitRouter({ Providers: [{ name: 'm', api_base_url: 'http://127.0.0.1:9/v1/chat/completions', api_key: 'k', models: ['x'] }], Router: { default: 'm,x' } }, { tokenCounter: new core.TokenCounter() });
out.router = mb();
await router.initialize(); out.initialized = mb();
const parsed = JSON.parse(text); out.parsedOnce = mb(); for (let i = 0; i < 100; i++) await router.route({ request: process.env.ONCE ? parsed : JSON.parse(text) });
out.routed = mb();
console.log(JSON.stringify(out));
`);
for (let i = 0; i < 2; i++) console.log(spawnSync(process.execPath, ['--expose-gc', join(dir, 'p.mjs'), process.argv[2]], { encoding: 'utf8' }).stdout.trim());
