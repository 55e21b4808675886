/**
 * The gateway in your own process: `createConduitServer` + `start`, a request through it with the
 * official Anthropic SDK (what Claude Code does), the health endpoint, and a graceful `stop`.
 *
 *   DEEPSEEK_API_KEY=sk-... npx tsx --tsconfig docs/examples/tsconfig.json docs/examples/server.ts
 */
import { pathToFileURL } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import { createConduitServer } from '@conduit/conduit';

/** Options of {@link main}. */
export interface ServerExampleOptions {
  /** Base URL of the OpenAI-compatible upstream (default `https://api.deepseek.com`). */
  baseURL?: string;
  /** Upstream API key (default `$DEEPSEEK_API_KEY`). */
  apiKey?: string;
  log?: (line: string) => void;
}

/** What the example observed, for the test. */
export interface ServerExampleResult {
  text: string;
  streamedText: string;
  servedBy: string | null;
  health: { status: number; body: { status: string; ready: boolean } };
}

export async function main(options: ServerExampleOptions = {}): Promise<ServerExampleResult> {
  const log = options.log ?? console.log;
  const baseURL = (options.baseURL ?? 'https://api.deepseek.com').replace(/\/$/, '');
  // The same object a config.json holds (CCR format). APIKEY protects the gateway itself.
  const server = createConduitServer({
    APIKEY: 'local-gateway-secret',
    Providers: [
      {
        name: 'deepseek',
        api_base_url: `${baseURL}/chat/completions`,
        api_key: options.apiKey ?? process.env.DEEPSEEK_API_KEY ?? 'sk-missing',
        models: ['deepseek-chat'],
      },
    ],
    Router: { default: 'deepseek,deepseek-chat' },
    usage: { enabled: false }, // no ledger for this example (see usage.ts)
  });

  const { url } = await server.start({ port: 0, host: '127.0.0.1' }); // 0: any free port
  log(`Conduit listening on ${url}`);
  try {
    const client = new Anthropic({ baseURL: url, apiKey: 'local-gateway-secret', maxRetries: 0 });
    const request = {
      model: 'claude-sonnet-5', // routed by Router: this becomes deepseek,deepseek-chat
      max_tokens: 256,
      messages: [{ role: 'user' as const, content: 'Say hello.' }],
    };

    const { data: message, response } = await client.messages.create(request).withResponse();
    const text = message.content.map(block => (block.type === 'text' ? block.text : '')).join('');
    const servedBy = `${response.headers.get('x-conduit-provider')},${response.headers.get('x-conduit-model')}`;
    log(`${servedBy}: ${text}`);

    const streamed = await client.messages.stream(request).finalMessage();
    const streamedText = streamed.content
      .map(block => (block.type === 'text' ? block.text : ''))
      .join('');
    log(`streamed: ${streamedText}`);

    // Liveness is public; with APIKEY set, the detailed report (readiness, checks) needs the key.
    const healthResponse = await fetch(`${url}/health`, {
      headers: { authorization: 'Bearer local-gateway-secret' },
    });
    const health = {
      status: healthResponse.status,
      body: (await healthResponse.json()) as { status: string; ready: boolean },
    };
    log(`GET /health → ${health.status} ${health.body.status}`);
    return { text, streamedText, servedBy, health };
  } finally {
    await server.stop(); // lets in-flight requests finish, then releases everything
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
