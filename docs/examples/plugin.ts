/**
 * A plugin written inline: it tags each request with its tenant (from a header) and sends the
 * "free" tenant to a cheaper model. Shown twice: loaded by a `PluginManager` that a router uses
 * directly, and listed in a gateway's `plugins` (where `createConduitServer` loads it itself).
 *
 *   npx tsx --tsconfig docs/examples/tsconfig.json docs/examples/plugin.ts
 */
import { pathToFileURL } from 'node:url';
import { type ConduitConfigInput, type ConduitPlugin, createConduitRouter } from '@conduit/core';
import { PluginManager } from '@conduit/plugins';
import { createConduitServer } from '@conduit/conduit';

/** Options of {@link main}. */
export interface PluginExampleOptions {
  /** Base URL of the OpenAI-compatible upstream (default `https://openrouter.ai/api`). */
  baseURL?: string;
  apiKey?: string;
  log?: (line: string) => void;
}

/** The plugin: any object with a `name` and some hooks (all optional, sync or async). */
export function createTenantPlugin(cheapRoute: string): ConduitPlugin {
  let cheapRequests = 0;
  return {
    name: 'tenant-router',
    beforeRouting(context) {
      const tenant = context.headers?.['x-tenant'] ?? 'anonymous';
      return { ...context, metadata: { ...context.metadata, tenant } };
    },
    customRouter(context) {
      if (context.metadata?.tenant !== 'free') return null; // null: let the next rule decide
      cheapRequests += 1;
      return cheapRoute;
    },
    getHealth: () => ({ status: 'healthy', message: `${cheapRequests} cheap requests` }),
  };
}

export async function main(options: PluginExampleOptions = {}): Promise<{
  libraryRoutes: Record<string, string>;
  servedModel: string | null;
}> {
  const log = options.log ?? console.log;
  const baseURL = (options.baseURL ?? 'https://openrouter.ai/api').replace(/\/$/, '');
  const config: ConduitConfigInput = {
    Providers: [
      {
        name: 'openrouter',
        api_base_url: `${baseURL}/v1/chat/completions`,
        api_key: options.apiKey ?? process.env.OPENROUTER_API_KEY ?? 'sk-missing',
        models: ['anthropic/claude-sonnet-5', 'qwen/qwen3-coder'],
      },
    ],
    Router: { default: 'openrouter,anthropic/claude-sonnet-5' },
    usage: { enabled: false },
  };
  const plugin = createTenantPlugin('openrouter,qwen/qwen3-coder');
  const request = {
    model: 'claude-sonnet-5',
    max_tokens: 256,
    messages: [{ role: 'user' as const, content: 'hello' }],
  };

  // 1. Library use: a PluginManager is the router's hooks.
  const plugins = new PluginManager({ conduitConfig: config as Record<string, unknown> });
  const report = await plugins.loadPlugins([{ name: 'tenant-router', module: plugin }]);
  log(`loaded: ${report.loaded.map(loaded => `${loaded.name} (${loaded.source})`).join(', ')}`);
  const libraryRoutes: Record<string, string> = {};
  try {
    const router = createConduitRouter(config, { hooks: plugins });
    for (const tenant of ['free', 'pro']) {
      const decision = await router.route({ request, headers: { 'x-tenant': tenant } });
      libraryRoutes[tenant] = `${decision.provider},${decision.model} (${decision.reason})`;
      log(`tenant ${tenant}: ${libraryRoutes[tenant]}`);
    }
  } finally {
    await plugins.cleanup(); // calls onUnload
  }

  // 2. In a gateway: the plugin object goes into the config's `plugins` list.
  const server = createConduitServer({
    ...config,
    plugins: [{ name: 'tenant-router', module: createTenantPlugin('openrouter,qwen/qwen3-coder') }],
  });
  const { url } = await server.start({ port: 0, host: '127.0.0.1' });
  try {
    const response = await fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant': 'free' },
      body: JSON.stringify(request),
    });
    await response.json();
    const servedModel = response.headers.get('x-conduit-model');
    log(
      `gateway, tenant free: served by ${servedModel} (route ${response.headers.get('x-conduit-route')})`,
    );
    return { libraryRoutes, servedModel };
  } finally {
    await server.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
