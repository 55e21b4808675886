import type { ConduitConfigInput } from '@conduit/core';
import { type ConduitGateway, type ConduitOptions, createConduit } from './create-conduit.js';

/**
 * Test helper (not published): the whole gateway on 127.0.0.1 with a free port. The usage
 * ledger is off unless the test passes `usage`/`usageTracker` options or a `usage.storage`, so
 * tests never write to the real `$CONDUIT_HOME`.
 */
export async function startTestGateway(
  config: ConduitConfigInput,
  options: ConduitOptions = {},
): Promise<{ server: ConduitGateway; baseURL: string; close(): Promise<void> }> {
  const hasStorage = Boolean((config as { usage?: { storage?: string } }).usage?.storage);
  const server = createConduit(config, {
    ...(hasStorage || options.usageTracker ? {} : { usage: false as const }),
    ...options,
  });
  const { url } = await server.start({ port: 0, host: '127.0.0.1' });
  return { server, baseURL: url, close: () => server.stop() };
}
