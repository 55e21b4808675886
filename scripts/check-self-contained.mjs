#!/usr/bin/env node
// Fails when a tracked file reads or names a path outside the repository (issue 14): a clean clone
// must pass its own tests, so nothing may reach `../shared`, a sibling checkout or an absolute path
// of the machine the code was written on. Precise on purpose: relative literals are resolved against
// the file's folder (or the repository root when joined to a `repoRoot`-style variable) and only
// flagged when they leave the root, so ordinary `../` imports inside the repository pass.
// A line that must name such a path (a path-traversal test, say) carries `self-contained: allow`.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const allowMarker = 'self-contained: allow';

/** Captured data and generated output: their text is not code that reads paths. */
const skippedPrefixes = ['packages/test-utils/fixtures/', 'bench/results/'];
const skippedFiles = new Set([
  'pnpm-lock.yaml',
  // Its examples of what must be flagged are the findings.
  'scripts/test/check-self-contained.test.mjs',
]);
const codeExtensions = /\.(?:[cm]?[jt]sx?|json|ya?ml|sh|bash)$/;
const markdownExtension = /\.md$/;

// self-contained: allow (the patterns themselves)
/** Absolute paths of the machine layout (`/work/shared`, `/work/main`, …) and `<repo>/../` prose. */
const outsidePatterns = [
  { pattern: /(?<![\w.~-])\/work\/[\w.-]+/g, why: 'absolute path outside the repository' },
  { pattern: /<repo(?:sitory)?>\/\.\.\//g, why: 'names a folder beside the repository' },
];

/** `'…'`, `"…"` and `` `…` `` literals on one line (template literals up to their first `${`). */
const stringLiteral = /'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g;

/** `resolve(base, 'a', 'b')` / `join(base, '…')` (over several lines too): a base, then literals. */
const pathCall =
  /\b(?:resolve|join)\(\s*([\w.$]+(?:\((?:[^()]|\([^()]*\))*\))?)\s*((?:,\s*(?:'[^'\n]*'|"[^"\n]*"))+)\s*,?\s*\)/g;

/** `const name = <path call>`: bindings followed through the file to know a call's base. */
const pathBinding = /\b(?:const|let|var)\s+(\w+)\s*=\s*(?:path\.)?(resolve|join)\(/g;

/** The file's own folder, however the module spells it. */
const moduleDirectory =
  /^(?:import\.meta\.dirname|__dirname|(?:path\.)?dirname\(\s*fileURLToPath\(\s*import\.meta\.url\s*\)\s*\)|fileURLToPath\(\s*new URL\(\s*['"]\.\/?['"]\s*,\s*import\.meta\.url\s*\)\s*\))$/;

/** Variable names that hold the repository root when the file cannot tell (imported, say). */
const repositoryRootName = /^(?:repo|repository|monorepo|workspace)(?:Root|Directory|Dir)$/i;

function isRelativePath(text) {
  return text === '..' || text.startsWith('../') || text.startsWith('./');
}

function leavesRoot(root, target) {
  const fromRoot = path.relative(root, target);
  return fromRoot === '..' || fromRoot.startsWith(`..${path.sep}`) || path.isAbsolute(fromRoot);
}

function lineOf(text, index) {
  return text.slice(0, index).split('\n').length;
}

/** The folder a call's base stands for: the module's folder, a binding of this file, or a guess. */
function resolveBase(root, directory, bindings, base) {
  const expression = base.replace(/\s+/g, ' ').trim();
  if (moduleDirectory.test(expression)) return directory;
  const name = expression.split('.').pop();
  if (bindings.has(expression)) return bindings.get(expression);
  if (repositoryRootName.test(name)) return root;
  return directory;
}

function scanCode(root, directory, text, report) {
  for (const match of text.matchAll(stringLiteral)) {
    const literal = match[1] ?? match[2] ?? (match[3] ?? '').split('${')[0];
    if (isRelativePath(literal) && leavesRoot(root, path.resolve(directory, literal)))
      report(lineOf(text, match.index), `'${literal}' resolves above the repository root`);
  }
  const bindings = new Map();
  const bindingAt = new Map();
  for (const match of text.matchAll(pathBinding))
    bindingAt.set(match.index + match[0].length - match[2].length - 1, match[1]);
  for (const match of text.matchAll(pathCall)) {
    const segments = [...match[2].matchAll(/'([^'\n]*)'|"([^"\n]*)"/g)].map(
      segment => segment[1] ?? segment[2],
    );
    if (segments.some(segment => segment.startsWith('/'))) continue;
    const from = resolveBase(root, directory, bindings, match[1]);
    const target = path.resolve(from, ...segments);
    if (bindingAt.has(match.index)) bindings.set(bindingAt.get(match.index), target);
    if (segments.some(isRelativePath) && leavesRoot(root, target))
      report(
        lineOf(text, match.index),
        `${match[0].replace(/\s+/g, ' ')} resolves above the repository root`,
      );
  }
}

function scanMarkdown(root, directory, text, report) {
  for (const match of text.matchAll(/\]\(([^)\s#]+)[^)]*\)/g)) {
    const target = match[1];
    if (/^[a-z][\w+.-]*:/i.test(target) || target.startsWith('/')) continue;
    if (leavesRoot(root, path.resolve(directory, target)))
      report(lineOf(text, match.index), `link ${target} leaves the repository`);
  }
}

/** Every finding in one file's text: `{ file, line, why }`. */
export function scanText(root, file, text) {
  const findings = [];
  const directory = path.dirname(path.join(root, file));
  const lines = text.split('\n');
  const allowed = line =>
    (lines[line - 1] ?? '').includes(allowMarker) || (lines[line - 2] ?? '').includes(allowMarker);
  const seen = new Set();
  const report = (line, why) => {
    if (allowed(line) || seen.has(`${line}:${why}`)) return;
    seen.add(`${line}:${why}`);
    findings.push({ file, line, why });
  };
  for (const { pattern, why } of outsidePatterns)
    for (const match of text.matchAll(pattern))
      report(lineOf(text, match.index), `${why}: ${match[0]}`);
  if (markdownExtension.test(file)) scanMarkdown(root, directory, text, report);
  else scanCode(root, directory, text, report);
  return findings.sort((left, right) => left.line - right.line);
}

/** Whether a tracked file is checked: code, config, scripts (by shebang) and docs; not captured data. */
export function isChecked(file, text) {
  if (skippedFiles.has(file) || skippedPrefixes.some(prefix => file.startsWith(prefix)))
    return false;
  return codeExtensions.test(file) || markdownExtension.test(file) || text.startsWith('#!');
}

/** Tracked (and new, not ignored) files of the repository at `root`. */
export function listRepositoryFiles(root) {
  const output = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return [...new Set(output.split('\0').filter(Boolean))].sort();
}

/** Every finding in the repository at `root`. */
export function checkSelfContained(root) {
  const findings = [];
  for (const file of listRepositoryFiles(root)) {
    let text;
    try {
      text = readFileSync(path.join(root, file), 'utf8');
    } catch {
      continue; // deleted in the work tree, or a broken symlink: nothing to read
    }
    if (isChecked(file, text)) findings.push(...scanText(root, file, text));
  }
  return findings;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(
    process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'),
  );
  const findings = checkSelfContained(root);
  for (const { file, line, why } of findings) console.error(`${file}:${line}: ${why}`);
  if (findings.length > 0) {
    console.error(
      `\n${findings.length} place(s) read or name a path outside the repository. Move what they need into the repository (fixtures: packages/test-utils/fixtures/), or mark a deliberate line with "${allowMarker}".`,
    );
    process.exit(1);
  }
  console.log('self-contained: no tracked file reads a path outside the repository');
}
