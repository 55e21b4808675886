/**
 * The usage ledger: a `UsageTracker` on a temporary SQLite file, fed by a gateway (one row per
 * request, priced with `usage.pricing`) and by hand (`trackRequest`, e.g. for calls made outside
 * the gateway), then queried the way `GET /api/usage` and `conduit usage` do.
 *
 *   npx tsx --tsconfig docs/examples/tsconfig.json docs/examples/usage.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createUsageTracker } from '@conduit/monitoring';
import { createConduitServer } from '@conduit/conduit';

/** Options of {@link main}. */
export interface UsageExampleOptions {
  /** Base URL of the OpenAI-compatible upstream (default `https://api.deepseek.com`). */
  baseURL?: string;
  apiKey?: string;
  log?: (line: string) => void;
}

/** What the ledger says, for the test. */
export interface UsageExampleResult {
  requestCount: number;
  totalCost: number;
  inputTokens: number;
  byProject: Array<{ projectId: string | null; requests: number }>;
  costByModel: Array<{ key: string; costUsd: number }>;
}

export async function main(options: UsageExampleOptions = {}): Promise<UsageExampleResult> {
  const log = options.log ?? console.log;
  const baseURL = (options.baseURL ?? 'https://api.deepseek.com').replace(/\/$/, '');
  const directory = mkdtempSync(join(tmpdir(), 'conduit-usage-example-'));
  const usage = {
    storage: `sqlite:${join(directory, 'usage.db')}`, // or postgres://… shared by several instances
    pricing: { 'deepseek,deepseek-chat': { input: 0.27, output: 1.1 } }, // USD per million tokens
  };
  const tracker = createUsageTracker(usage);
  try {
    // 1. A gateway writing to this ledger (without `usageTracker` it opens `usage.storage` itself).
    const server = createConduitServer(
      {
        Providers: [
          {
            name: 'deepseek',
            api_base_url: `${baseURL}/chat/completions`,
            api_key: options.apiKey ?? process.env.DEEPSEEK_API_KEY ?? 'sk-missing',
            models: ['deepseek-chat'],
          },
        ],
        Router: { default: 'deepseek,deepseek-chat' },
        // A built-in plugin copies the x-project header into metadata.projectId (kept in the ledger).
        plugins: [
          { name: 'request-metadata-tagger', config: { headers: { 'x-project': 'projectId' } } },
        ],
        usage,
      },
      { usageTracker: tracker },
    );
    const { url } = await server.start({ port: 0, host: '127.0.0.1' });
    try {
      const response = await fetch(`${url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-project': 'web-app' },
        body: JSON.stringify({
          model: 'claude-sonnet-5',
          max_tokens: 256,
          messages: [{ role: 'user', content: 'hello' }],
        }),
      });
      await response.json();
    } finally {
      await server.stop();
    }

    // 2. A call made elsewhere, recorded by hand: one row per request id.
    tracker.trackRequest(
      {
        request: { model: 'claude-sonnet-5', max_tokens: 256, messages: [] },
        metadata: { projectId: 'batch-jobs', agentId: 'nightly-report' },
      },
      {
        provider: 'deepseek',
        model: 'deepseek-chat',
        reason: 'default',
        scenario: 'default',
        confidence: 1,
        tokenCount: 1200,
        fallbacks: [],
        metadata: { projectId: 'batch-jobs', agentId: 'nightly-report' },
      },
      {
        requestId: 'batch-0001',
        startedAt: new Date(),
        usage: { input_tokens: 1200, output_tokens: 300 },
        usageEstimated: false,
        latencyMs: 2400,
        status: 200,
        streamed: false,
      },
    );

    // 3. Read it back (queued rows are written first).
    const stats = await tracker.getStats(undefined, { since: new Date(Date.now() - 3_600_000) });
    const costs = await tracker.getCostBreakdown();
    log(
      `${stats.totals.requests} requests, ${stats.totals.inputTokens} input tokens, $${stats.totals.costUsd.toFixed(6)}`,
    );
    for (const project of stats.byProject) {
      log(`  project ${project.projectId ?? '(none)'}: ${project.requests} requests`);
    }
    return {
      requestCount: stats.totals.requests,
      totalCost: stats.totals.costUsd,
      inputTokens: stats.totals.inputTokens,
      byProject: stats.byProject.map(project => ({
        projectId: project.projectId,
        requests: project.requests,
      })),
      costByModel: costs.byModel.map(line => ({ key: line.key, costUsd: line.costUsd })),
    };
  } finally {
    await tracker.close(); // writes everything still queued
    rmSync(directory, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
