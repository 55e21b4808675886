import type { ConduitConfigInput } from '@conduit/core';
import {
  type ConduitServer,
  type ConduitServerOptions,
  createConduitServer,
} from './conduit-server.js';

/** Test helper (not published): a real gateway on 127.0.0.1 with a free port. */
export async function startTestGateway(
  config: ConduitConfigInput,
  options: ConduitServerOptions = {},
): Promise<{ server: ConduitServer; baseURL: string; close(): Promise<void> }> {
  const server = createConduitServer(config, options);
  const { url } = await server.start({ port: 0, host: '127.0.0.1' });
  return { server, baseURL: url, close: () => server.stop() };
}

/** A config with one provider and a default route to it. */
export function singleProviderConfig(
  provider: { name: string; api_base_url: string; models: string[] } & Record<string, unknown>,
  extra: Record<string, unknown> = {},
): ConduitConfigInput {
  return {
    Providers: [{ api_key: 'sk-provider-secret', ...provider }],
    Router: { default: `${provider.name},${provider.models[0]}` },
    ...extra,
  } as ConduitConfigInput;
}
