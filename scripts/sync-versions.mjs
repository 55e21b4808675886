#!/usr/bin/env node
// Writes each package's version constant from its package.json, so what `/health` and `GET /` report
// cannot drift from what `changeset version` set. Run by `pnpm version-packages`; `--check` (CI) fails
// when a constant is stale instead of writing it.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const constants = [
  {
    packageJson: 'packages/server/package.json',
    file: 'packages/server/src/version.ts',
    render: version =>
      `/** The @conduit/server version, reported by \`/health\` and \`GET /\` (written by scripts/sync-versions.mjs). */\nexport const conduitServerVersion = '${version}';\n`,
  },
];

const check = process.argv.includes('--check');
const stale = [];
for (const constant of constants) {
  const { version } = JSON.parse(readFileSync(path.join(root, constant.packageJson), 'utf8'));
  const target = path.join(root, constant.file);
  const expected = constant.render(version);
  if (readFileSync(target, 'utf8') === expected) continue;
  if (check) stale.push(`${constant.file} does not say ${version} (${constant.packageJson})`);
  else writeFileSync(target, expected);
}
if (stale.length > 0) {
  console.error(
    `Stale version constants:\n  ${stale.join('\n  ')}\nFix: node scripts/sync-versions.mjs`,
  );
  process.exit(1);
}
console.log(check ? 'Version constants match package.json.' : 'Version constants written.');
