#!/usr/bin/env node
// Builds the browser client into dist/client: one minified ES bundle and one stylesheet with
// content-hashed names (served as immutable), index.html pointing at them (served no-cache), and a
// .gz and .br beside every file (compressed once here, not per request). Fails when the gzipped
// total exceeds the budget in scripts/package-size-budget.json ("@conduit/ui client (gzip)").
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const packageDir = path.resolve(import.meta.dirname, '..');
const outDir = path.join(packageDir, 'dist/client');
const budgets = JSON.parse(
  readFileSync(path.join(packageDir, '../../scripts/package-size-budget.json'), 'utf8'),
);
const budgetKB = budgets['@conduit/ui client (gzip)'] ?? 200;

rmSync(outDir, { recursive: true, force: true });
mkdirSync(path.join(outDir, 'assets'), { recursive: true });

const result = await build({
  entryPoints: { app: path.join(packageDir, 'src/client/main.tsx') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: path.join(outDir, 'assets'),
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
});

const outputs = Object.keys(result.metafile.outputs).map(file => path.relative(outDir, file));
const script = outputs.find(file => file.endsWith('.js'));
const stylesheet = outputs.find(file => file.endsWith('.css'));
const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Conduit</title>
<link rel="icon" href="data:,">
${stylesheet ? `<link rel="stylesheet" href="/ui/${stylesheet}">` : ''}
<script type="module" src="/ui/${script}"></script>
</head>
<body>
<noscript>The Conduit dashboard needs JavaScript. Its JSON APIs work without it (see the @conduit/ui README).</noscript>
<div id="app"></div>
</body>
</html>
`;
writeFileSync(path.join(outDir, 'index.html'), html);

let gzipTotal = 0;
for (const file of [...outputs, 'index.html']) {
  const full = path.join(outDir, file);
  const body = readFileSync(full);
  const gzip = gzipSync(body, { level: 9 });
  const brotli = brotliCompressSync(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11 },
  });
  writeFileSync(`${full}.gz`, gzip);
  writeFileSync(`${full}.br`, brotli);
  gzipTotal += gzip.length;
  console.log(
    `${file.padEnd(32)} ${(body.length / 1024).toFixed(1).padStart(7)} KB  gzip ${(gzip.length / 1024).toFixed(1).padStart(6)} KB  br ${(brotli.length / 1024).toFixed(1).padStart(6)} KB`,
  );
}
console.log(`client total gzip: ${(gzipTotal / 1024).toFixed(1)} KB (budget ${budgetKB} KB)`);
if (gzipTotal / 1024 > budgetKB) {
  console.error(`@conduit/ui client is over its ${budgetKB} KB gzip budget`);
  process.exit(1);
}
