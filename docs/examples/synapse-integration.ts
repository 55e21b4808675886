/**
 * Conduit as Synapse's model layer, both ways:
 * 1. in process: `SynapseIntegration` routes a Claude Code command line for a project's agent,
 *    records the call's usage and reads the project's spend back;
 * 2. as a server: `createSynapseServer` serves Claude Code; the agent's context travels in
 *    `x-synapse-*` headers (what `conduit code` puts into `ANTHROPIC_CUSTOM_HEADERS`), and every
 *    response carries the routing decision and its cost back to Synapse.
 *
 * Run it against Anthropic (or any Anthropic-compatible upstream):
 *   ANTHROPIC_API_KEY=sk-ant-... npx tsx --conditions=@conduit/source docs/examples/synapse-integration.ts
 * The test in packages/conduit/src/synapse runs `main` against a mock upstream on 127.0.0.1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createSynapseServer,
  formatCustomHeaders,
  readConduitMetadata,
  SynapseIntegration,
  synapseHeadersFromEnv,
} from '@conduit/conduit';

/** Options of {@link main}. */
export interface ExampleOptions {
  /** The Anthropic-compatible upstream (default `https://api.anthropic.com`). */
  baseURL?: string;
  /** Upstream API key (default `$ANTHROPIC_API_KEY`). */
  apiKey?: string;
  /** SQLite file for the usage ledger (default: a temporary file, removed at the end). */
  usageDatabase?: string;
  /** Where progress lines go (default `console.log`). */
  log?: (line: string) => void;
}

/** What the example observed, for the test. */
export interface ExampleResult {
  routed: { provider: string; model: string; reason: string; tokenCount: number };
  stats: { totalCost: number; requestCount: number };
  customHeaders: string;
  served: {
    status: number;
    route: string | null;
    projectId: string | null;
    metadata: Record<string, unknown> | null;
    text: string;
  };
}

/** The agent Synapse is running, as `SYNAPSE_*` variables. */
const agentEnv = {
  SYNAPSE_PROJECT_ID: 'web-app',
  SYNAPSE_AGENT_ID: 'coder-1',
  SYNAPSE_AGENT_TYPE: 'coding',
  SYNAPSE_TASK_TYPE: 'bugfix',
  SYNAPSE_COST_LIMITS: '{"daily": 10, "perAgent": {"daily": 2}}',
};

export async function main(options: ExampleOptions = {}): Promise<ExampleResult> {
  const log = options.log ?? console.log;
  const baseURL = (options.baseURL ?? 'https://api.anthropic.com').replace(/\/$/, '');
  const temporary = options.usageDatabase
    ? undefined
    : mkdtempSync(join(tmpdir(), 'synapse-example-'));
  const usageDatabase = options.usageDatabase ?? join(temporary!, 'usage.db');
  const config = {
    preset: 'synapse',
    Providers: [
      {
        name: 'anthropic',
        api_base_url: `${baseURL}/v1/messages`,
        api_key: options.apiKey ?? process.env.ANTHROPIC_API_KEY ?? 'sk-missing',
        models: ['claude-sonnet-5', 'claude-opus-4-8', 'claude-haiku-4-5-20251001'],
      },
    ],
    Router: {
      default: 'anthropic,claude-sonnet-5',
      think: 'anthropic,claude-opus-4-8',
      background: 'anthropic,claude-haiku-4-5-20251001',
    },
    usage: { enabled: true, storage: `sqlite:${usageDatabase}` },
    synapse: { budgets: { project: { daily: 25 } } },
  };

  try {
    // 1. In process: which model should this agent's `claude` run use?
    const synapse = new SynapseIntegration({ config, env: {} });
    let routed: ExampleResult['routed'];
    let stats: ExampleResult['stats'];
    try {
      const decision = await synapse.routeClaudeRequest(
        ['-p', 'fix the failing test in src/cart.ts', '--model', 'sonnet'],
        agentEnv,
      );
      routed = {
        provider: decision.provider,
        model: decision.model,
        reason: decision.metadata.reason,
        tokenCount: decision.metadata.tokenCount,
      };
      log(
        `routed to ${decision.metadata.route} (${decision.metadata.reason}, ${decision.metadata.tokenCount} tokens)`,
      );

      // ...Synapse runs the agent, then reports what the call used.
      await synapse.trackUsage({
        projectId: agentEnv.SYNAPSE_PROJECT_ID,
        agentId: agentEnv.SYNAPSE_AGENT_ID,
        provider: decision.provider,
        model: decision.model,
        inputTokens: 12_000,
        outputTokens: 1_500,
        latencyMs: 8_200,
      });
      const usage = await synapse.getUsageStats(agentEnv.SYNAPSE_PROJECT_ID);
      stats = { totalCost: usage.totalCost, requestCount: usage.requestCount };
      log(`project web-app: $${usage.totalCost.toFixed(4)} over ${usage.requestCount} records`);
    } finally {
      await synapse.close();
    }

    // 2. As a server: Claude Code (or any Anthropic client) talks to Conduit directly.
    const headers = synapseHeadersFromEnv(agentEnv);
    const customHeaders = formatCustomHeaders(headers);
    log(`ANTHROPIC_CUSTOM_HEADERS for claude:\n${customHeaders}`);
    const server = await createSynapseServer(config);
    try {
      const { url } = await server.start({ port: 0, host: '127.0.0.1' });
      const response = await fetch(`${url}/v1/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'anthropic-version': '2023-06-01',
          ...headers,
        },
        body: JSON.stringify({
          model: 'claude-sonnet-5',
          max_tokens: 256,
          stream: true,
          messages: [{ role: 'user', content: 'say hi' }],
        }),
      });
      const text = await response.text();
      // The Anthropic SDK and Claude Code skip these SSE comments; Synapse reads them.
      const metadata = readConduitMetadata(text);
      log(
        `served by ${response.headers.get('x-conduit-provider')},${response.headers.get('x-conduit-model')} (route ${response.headers.get('x-conduit-route')}), cost $${String(metadata?.costUsd)}`,
      );
      return {
        routed,
        stats,
        customHeaders,
        served: {
          status: response.status,
          route: response.headers.get('x-conduit-route'),
          projectId: response.headers.get('x-synapse-project-id'),
          metadata,
          text,
        },
      };
    } finally {
      await server.stop();
    }
  } finally {
    if (temporary) rmSync(temporary, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
