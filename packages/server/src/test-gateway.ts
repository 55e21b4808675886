import type { ConduitConfigInput } from '@conduit/core';
import { type ConduitServer, createConduitServer } from './conduit-server.js';
import type { ConduitServerOptions } from './server-options.js';

/**
 * Test helper (not published): a real gateway on 127.0.0.1 with a free port. The bare server has
 * no usage ledger (that is `@conduit/monitoring`'s extension), so tests never write to the real
 * `$CONDUIT_HOME`.
 */
export async function startTestGateway(
  config: ConduitConfigInput,
  options: ConduitServerOptions = {},
): Promise<{ server: ConduitServer; baseURL: string; close(): Promise<void> }> {
  const server = createConduitServer(config, options);
  const { url } = await server.start({ port: 0, host: '127.0.0.1' });
  return { server, baseURL: url, close: () => server.stop() };
}

/**
 * A config with one provider and a default route to it. Its tests expect exactly one upstream
 * call per request, so retries and circuit breaking are off (`extra.resilience` replaces that;
 * the resilience layer has its own tests).
 */
export function singleProviderConfig(
  provider: { name: string; api_base_url: string; models: string[] } & Record<string, unknown>,
  extra: Record<string, unknown> = {},
): ConduitConfigInput {
  return {
    Providers: [{ api_key: 'sk-provider-secret', ...provider }],
    Router: { default: `${provider.name},${provider.models[0]}` },
    resilience: { retry: { maxAttempts: 1 }, circuitBreaker: { enabled: false } },
    ...extra,
  } as ConduitConfigInput;
}
