// The consumer project of the install test: a TypeScript file using the seed's examples (type-checked
// with node16 resolution as ESM and as CommonJS) and a script running them against a local upstream.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const consumerSource = `import {
  ConduitServer,
  createConduitRouter,
  createConduitServer,
  type ConduitConfigInput,
  type RoutingDecision,
} from '@conduit/conduit';
import { PluginManager } from '@conduit/conduit/plugins';
import { SynapseIntegration } from '@conduit/conduit/synapse';
import { UsageTracker } from '@conduit/conduit/monitoring';
import { ProviderAPIError } from '@conduit/core';

export const config: ConduitConfigInput = {
  Providers: [
    { name: 'anthropic', api_base_url: 'https://api.anthropic.com/v1/messages', api_key: '$ANTHROPIC_API_KEY', models: ['claude-3-5-sonnet-20241022'], transformer: { use: ['Anthropic'] } },
  ],
  Router: { default: 'anthropic,claude-3-5-sonnet-20241022' },
};

export async function routeOnce(): Promise<RoutingDecision> {
  const router = createConduitRouter(config);
  await router.initialize();
  return router.route({ request: { model: 'claude-3-5-sonnet-20241022', max_tokens: 100, messages: [{ role: 'user', content: 'hello '.repeat(500) }] } });
}

export function servers(): [ConduitServer, ConduitServer] {
  return [new ConduitServer(config, { usage: false }), createConduitServer(config, { usage: false })];
}

export async function plugins(): Promise<number> {
  const manager = new PluginManager();
  const report = await manager.loadPlugins([{ name: 'inline', source: 'inline', module: { name: 'inline', customRouter: () => null } }]);
  await manager.cleanup();
  return report.loaded.length;
}

export async function synapse(): Promise<{ model: string; provider: string }> {
  const integration = new SynapseIntegration({ config, trackRouting: false });
  const decision = await integration.routeClaudeRequest(['-p', 'fix the bug', '--model', 'sonnet'], { SYNAPSE_PROJECT_ID: 'demo' });
  await integration.close();
  return decision;
}

export type Tracker = UsageTracker;
export const isProviderError = (error: unknown): boolean => ProviderAPIError.isInstance(error);
`;

const runSource = `import { createConduitRouter, createConduitServer } from '@conduit/conduit';
import { PluginManager } from '@conduit/conduit/plugins';
import { SynapseIntegration } from '@conduit/conduit/synapse';
import http from 'node:http';

const upstream = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ id: 'c1', object: 'chat.completion', model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'installed ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 2 } }));
  });
});
await new Promise(resolve => upstream.listen(0, '127.0.0.1', resolve));
const config = {
  Providers: [{ name: 'local', api_base_url: 'http://127.0.0.1:' + upstream.address().port + '/v1/chat/completions', api_key: 'sk-local', models: ['m'] }],
  Router: { default: 'local,m' },
};

const decision = await createConduitRouter(config).route({ request: { model: 'x', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] } });
if (decision.provider !== 'local') throw new Error('router: ' + JSON.stringify(decision));
console.log('router ok:', decision.provider + ',' + decision.model, decision.reason);

const server = createConduitServer(config, { usage: false });
const { url } = await server.start({ port: 0 });
const response = await fetch(url + '/v1/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'claude-x', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }) });
const body = await response.json();
await server.stop();
if (body.content?.[0]?.text !== 'installed ok') throw new Error('server: ' + JSON.stringify(body));
console.log('server ok:', response.status, body.content[0].text);

const manager = new PluginManager();
const report = await manager.loadPlugins([{ name: 'inline', source: 'inline', module: { name: 'inline', customRouter: () => 'local,m' } }]);
await manager.cleanup();
console.log('plugins ok:', report.loaded.length, 'loaded');

const integration = new SynapseIntegration({ config, trackRouting: false });
const routed = await integration.routeClaudeRequest(['-p', 'fix the bug'], { SYNAPSE_PROJECT_ID: 'demo' });
await integration.close();
console.log('synapse ok:', routed.provider + ',' + routed.model);
upstream.close();
`;

/** The seed plan's snippets (scripts/install-test-seed-consumer.ts), compiled as ESM and as CommonJS. */
const seedSource = readFileSync(
  new URL('./install-test-seed-consumer.ts', import.meta.url),
  'utf8',
);
const seedRunners = {
  'seed-run.mjs':
    "import { runSeedPlan } from './seed-esm/seed.js';\nawait runSeedPlan();\nconsole.log('seed plan (ESM) ok');\n",
  'seed-run.cjs':
    "require('./seed-cjs/seed.cjs').runSeedPlan().then(\n  () => console.log('seed plan (CommonJS) ok'),\n  error => {\n    console.error(error);\n    process.exit(1);\n  },\n);\n",
};

export function writeConsumer(project) {
  writeFileSync(path.join(project, 'consumer.ts'), consumerSource);
  writeFileSync(
    path.join(project, 'consumer.cts'),
    consumerSource.replace(/^/, '// CommonJS consumer\n'),
  );
  writeFileSync(path.join(project, 'consumer-run.mjs'), runSource);
  const compilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    target: 'ES2022',
    types: ['node'],
  };
  writeFileSync(
    path.join(project, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: { ...compilerOptions, module: 'node16', moduleResolution: 'node16' },
        files: ['consumer.ts'],
      },
      null,
      2,
    ),
  );
  writeFileSync(path.join(project, 'seed.ts'), seedSource);
  writeFileSync(path.join(project, 'seed.cts'), seedSource);
  for (const [file, source] of Object.entries(seedRunners)) {
    writeFileSync(path.join(project, file), source);
  }
  for (const [file, source, outDir] of [
    ['tsconfig.seed.json', 'seed.ts', 'seed-esm'],
    ['tsconfig.seed-cjs.json', 'seed.cts', 'seed-cjs'],
  ]) {
    writeFileSync(
      path.join(project, file),
      JSON.stringify(
        {
          compilerOptions: {
            ...compilerOptions,
            noEmit: false,
            outDir,
            module: 'node16',
            moduleResolution: 'node16',
          },
          files: [source],
        },
        null,
        2,
      ),
    );
  }
  writeFileSync(
    path.join(project, 'tsconfig.cjs.json'),
    JSON.stringify(
      {
        compilerOptions: { ...compilerOptions, module: 'node16', moduleResolution: 'node16' },
        files: ['consumer.cts'],
      },
      null,
      2,
    ),
  );
}
