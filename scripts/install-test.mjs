#!/usr/bin/env node
// Install test: packs every published package, installs the tarballs into a fresh npm project in a
// temp folder, and uses them there the way a user would: import and require each package and each
// meta-package subpath, type-check a TypeScript consumer of the seed's examples, compile and run
// the seed plan's snippets (scripts/install-test-seed-consumer.ts) as ESM and CommonJS, and run the
// installed `conduit --version` and `conduit route` on a Claude Code fixture. Run after `pnpm build`.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listPublishedPackages, repoRoot } from './published-packages.mjs';

const keep = process.argv.includes('--keep');
const dependencyFields = ['dependencies', 'optionalDependencies', 'peerDependencies'];

/**
 * Run inside a project that installed only @conduit/server and @conduit/core: a mock
 * OpenAI-compatible provider on 127.0.0.1 (it records what it receives), the bare server in front
 * of it, one Anthropic request through it.
 */
const serverAloneScript = `import { createServer } from 'node:http';
import { createConduitServer } from '@conduit/server';

const received = [];
const upstream = createServer((request, response) => {
  let body = '';
  request.on('data', chunk => (body += chunk));
  request.on('end', () => {
    received.push({ url: request.url, authorization: request.headers.authorization, body: JSON.parse(body) });
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({
      id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'mock-model',
      choices: [{ index: 0, message: { role: 'assistant', content: 'hello from the mock' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 },
    }));
  });
});
await new Promise(resolve => upstream.listen(0, '127.0.0.1', resolve));
const endpoint = 'http://127.0.0.1:' + upstream.address().port + '/v1/chat/completions';
const server = createConduitServer({
  Providers: [{ name: 'mock', api_base_url: endpoint, api_key: 'sk-mock', models: ['mock-model'] }],
  Router: { default: 'mock,mock-model' },
});
try {
  const { url } = await server.start({ port: 0, host: '127.0.0.1' });
  const response = await fetch(url + '/v1/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'claude-x', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }),
  });
  const message = await response.json();
  if (response.status !== 200) throw new Error('status ' + response.status + ': ' + JSON.stringify(message));
  if (message.content?.[0]?.text !== 'hello from the mock') throw new Error('unexpected answer ' + JSON.stringify(message));
  if (message.usage?.output_tokens !== 4) throw new Error('unexpected usage ' + JSON.stringify(message.usage));
  if (received.length !== 1 || received[0].body.model !== 'mock-model' || received[0].authorization !== 'Bearer sk-mock')
    throw new Error('the mock did not receive the translated request: ' + JSON.stringify(received));
  console.log('server alone ok: ' + message.content[0].text);
} finally {
  await server.stop();
  upstream.close();
}
`;
const work = mkdtempSync(path.join(tmpdir(), 'conduit-install-test-'));
const tarballs = path.join(work, 'tarballs');
const project = path.join(work, 'project');
mkdirSync(tarballs);
mkdirSync(project);
const step = title => console.log(`\n== ${title}`);
const run = (command, args, options = {}) => {
  const result = spawnSync(command, args, { cwd: project, encoding: 'utf8', ...options });
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr);
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}`);
  }
  return result.stdout;
};

try {
  step('pack');
  const packages = listPublishedPackages();
  const files = {};
  for (const pkg of packages) {
    execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: pkg.dir, stdio: 'pipe' });
  }
  for (const file of readdirSync(tarballs)) {
    const pkg = packages.find(
      candidate => file === `${candidate.name.slice(1).replace('/', '-')}-${candidate.version}.tgz`,
    );
    if (pkg) files[pkg.name] = path.join(tarballs, file);
  }
  console.log(Object.keys(files).join(', '));
  if (Object.keys(files).length !== packages.length)
    throw new Error('not every package was packed');
  // Versions live in pnpm-workspace.yaml's catalog; the packed manifests must carry real ranges.
  for (const [name, file] of Object.entries(files)) {
    const manifest = JSON.parse(
      execFileSync('tar', ['-xzOf', file, 'package/package.json'], { encoding: 'utf8' }),
    );
    const unresolved = dependencyFields
      .flatMap(field => Object.entries(manifest[field] ?? {}))
      .filter(([, range]) => /^(catalog|workspace):/.test(range));
    if (unresolved.length > 0)
      throw new Error(`${name} was packed with unresolved ranges: ${JSON.stringify(unresolved)}`);
  }

  step('npm install the tarballs into a fresh project');
  const fileSpec = name => `file:${files[name]}`;
  writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify(
      {
        name: 'conduit-install-test',
        private: true,
        type: 'module',
        dependencies: {
          ...Object.fromEntries(Object.keys(files).map(name => [name, fileSpec(name)])),
          // The consumer type-checks the packages' declarations (skipLibCheck off), which use Node types.
          '@types/node': '^20.19.0',
        },
        // Dependencies between the packages resolve to the tarballs too, never to the registry.
        overrides: Object.fromEntries(Object.keys(files).map(name => [name, fileSpec(name)])),
      },
      null,
      2,
    ),
  );
  const env = { ...process.env };
  if (
    !env.npm_config_nodedir &&
    spawnSync('test', ['-f', '/usr/include/node/node.h']).status === 0
  ) {
    env.npm_config_nodedir = '/usr';
  }
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { env, stdio: 'inherit' });

  step('import and require every package and subpath');
  const specifiers = [
    '@conduit/core',
    '@conduit/plugins',
    '@conduit/monitoring',
    '@conduit/server',
    '@conduit/synapse',
    '@conduit/conduit',
    '@conduit/conduit/server',
    '@conduit/conduit/router',
    '@conduit/conduit/plugins',
    '@conduit/conduit/synapse',
    '@conduit/conduit/monitoring',
  ];
  const probe = specifiers
    .map(
      specifier => `{
  const esm = await import('${specifier}');
  const cjs = require('${specifier}');
  if (Object.keys(esm).length === 0) throw new Error('${specifier}: no ESM exports');
  if (Object.keys(cjs).length === 0) throw new Error('${specifier}: no CJS exports');
  console.log('ok ${specifier}: ' + Object.keys(esm).length + ' exports');
}`,
    )
    .join('\n');
  writeFileSync(
    path.join(project, 'probe.mjs'),
    `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${probe}\n`,
  );
  process.stdout.write(run(process.execPath, ['probe.mjs']));
  await import('./install-test-consumer.mjs').then(({ writeConsumer }) => writeConsumer(project));

  step('type-check a TypeScript consumer (node16 resolution, ESM and CJS)');
  const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
  process.stdout.write(run(process.execPath, [tsc, '-p', 'tsconfig.json']));
  process.stdout.write(run(process.execPath, [tsc, '-p', 'tsconfig.cjs.json']));
  console.log('consumer type-checks');

  step("compile the seed plan's snippets (ESM and CommonJS, node16, skipLibCheck off)");
  process.stdout.write(run(process.execPath, [tsc, '-p', 'tsconfig.seed.json']));
  process.stdout.write(run(process.execPath, [tsc, '-p', 'tsconfig.seed-cjs.json']));
  console.log('seed plan compiles');

  step('run the consumer against the installed packages');
  const consumerHome = mkdtempSync(path.join(work, 'consumer-home-'));
  process.stdout.write(
    run(process.execPath, ['consumer-run.mjs'], {
      env: { ...process.env, HOME: consumerHome, CONDUIT_HOME: consumerHome },
    }),
  );

  step("run the seed plan's snippets against a mock upstream (ESM, then CommonJS)");
  for (const runner of ['seed-run.mjs', 'seed-run.cjs']) {
    // Each run gets its own Conduit home, so ledgers start empty.
    const seedHome = mkdtempSync(path.join(work, 'seed-home-'));
    process.stdout.write(
      run(process.execPath, [runner], {
        env: { ...process.env, HOME: seedHome, CONDUIT_HOME: seedHome },
      }),
    );
  }

  step('installed conduit binary');
  const conduit = path.join(project, 'node_modules/.bin/conduit');
  const version = run(conduit, ['--version']).trim();
  console.log(`conduit --version: ${version}`);
  const fixture = path.join(
    repoRoot,
    'packages/test-utils/fixtures/claude-code/cc-hi-01-messages.json',
  );
  const home = mkdtempSync(path.join(work, 'home-'));
  writeFileSync(
    path.join(home, 'config.json'),
    JSON.stringify({
      Providers: [
        {
          name: 'local',
          api_base_url: 'http://127.0.0.1:9/v1/chat/completions',
          api_key: 'x',
          models: ['m'],
        },
      ],
      Router: { default: 'local,m' },
    }),
  );
  const routed = run(conduit, ['route', fixture, '--json'], {
    env: { ...process.env, HOME: home, CONDUIT_HOME: home },
  });
  const decision = JSON.parse(routed);
  console.log(`conduit route: ${JSON.stringify(decision).slice(0, 200)}`);
  if (!JSON.stringify(decision).includes('local'))
    throw new Error('conduit route did not route to local');
  step('@conduit/server and @conduit/core alone serve an OpenAI-compatible provider');
  const alone = path.join(work, 'server-alone');
  mkdirSync(alone);
  writeFileSync(
    path.join(alone, 'package.json'),
    JSON.stringify({
      name: 'conduit-server-alone',
      private: true,
      type: 'module',
      dependencies: {
        '@conduit/core': fileSpec('@conduit/core'),
        '@conduit/server': fileSpec('@conduit/server'),
      },
      overrides: { '@conduit/core': fileSpec('@conduit/core') },
    }),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: alone, env });
  const installed = readdirSync(path.join(alone, 'node_modules/@conduit')).sort();
  if (installed.join(',') !== 'core,server')
    throw new Error(`the server alone installed other Conduit packages: ${installed.join(', ')}`);
  for (const heavy of ['better-sqlite3', 'pg', 'prom-client']) {
    if (spawnSync('test', ['-e', path.join(alone, 'node_modules', heavy)]).status === 0)
      throw new Error(`the server alone installed ${heavy}`);
  }
  writeFileSync(path.join(alone, 'serve.mjs'), serverAloneScript);
  process.stdout.write(run(process.execPath, ['serve.mjs'], { cwd: alone }));

  console.log('\nInstall test passed.');
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}
