/**
 * Bundled and run in its own plain-node process by the bench (no tsx): how much memory routing
 * through the library adds to a process. argv: <request.json> <bundled @conduit/core module>.
 * Prints one JSON line with resident and heap memory before importing the library and after
 * routing the request 100 times.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface CoreModule {
  createConduitRouter(
    config: unknown,
    options: { tokenCounter: unknown },
  ): { initialize(): Promise<void>; route(context: { request: unknown }): Promise<unknown> };
  TokenCounter: new () => unknown;
}

const [requestFile, coreModule] = process.argv.slice(2);
if (!requestFile || !coreModule) {
  throw new Error('usage: library-memory-probe <request.json> <core module>');
}
const text = readFileSync(requestFile, 'utf8');
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const before = process.memoryUsage();
const core = (await import(pathToFileURL(coreModule).href)) as CoreModule;
const router = core.createConduitRouter(
  {
    Providers: [
      {
        name: 'mock-openai',
        api_base_url: 'http://127.0.0.1:9/v1/chat/completions',
        api_key: 'sk-bench',
        models: ['mock-model'],
      },
    ],
    Router: { default: 'mock-openai,mock-model' },
  },
  { tokenCounter: new core.TokenCounter() },
);
await router.initialize();
let decision: unknown;
for (let run = 0; run < 100; run++) decision = await router.route({ request: JSON.parse(text) });
gc?.();
const after = process.memoryUsage();
const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
process.stdout.write(
  `${JSON.stringify({
    rssBeforeMB: megabytes(before.rss),
    rssAfterMB: megabytes(after.rss),
    heapUsedBeforeMB: megabytes(before.heapUsed),
    heapUsedAfterMB: megabytes(after.heapUsed),
    routed: decision !== undefined,
  })}\n`,
);
