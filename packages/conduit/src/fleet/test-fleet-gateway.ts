/** Test helper (not shipped): the composed gateway with a `fleet` section, in front of a mock upstream. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConduitConfigInput, Logger } from '@conduit/core';
import type { Fleet } from '@conduit/fleet';
import { type MockOpenAIProvider, startMockOpenAIProvider } from '@conduit/test-utils';
import { type ConduitGateway, createConduit } from '../gateway/create-conduit.js';

export const masterKey = 'sk-master-test-key-0123456789';

export interface TestFleetGateway {
  url: string;
  server: ConduitGateway;
  fleet: Fleet;
  upstream: MockOpenAIProvider;
  home: string;
  logs: string[];
  close(): Promise<void>;
}

/** Starts a gateway on 127.0.0.1:0 with `fleet` settings and an OpenAI-compatible mock upstream. */
export async function startFleetGateway(
  fleetSettings: Record<string, unknown>,
  extra: Partial<ConduitConfigInput> = {},
  options: { home?: string; ui?: boolean } = {},
): Promise<TestFleetGateway> {
  const upstream = await startMockOpenAIProvider();
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'conduit-fleet-'));
  const logs: string[] = [];
  const record = (level: string) => (message: string, details?: Record<string, unknown>) => {
    logs.push(`${level} ${message} ${JSON.stringify(details ?? {})}`);
  };
  const logger: Logger = {
    trace: record('trace'),
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
  const config = {
    APIKEY: masterKey,
    Providers: [
      {
        name: 'openai',
        api_base_url: upstream.endpoint,
        api_key: 'sk-upstream',
        models: ['gpt-4o-mini'],
      },
    ],
    Router: { default: 'openai,gpt-4o-mini' },
    resilience: { retry: { maxAttempts: 1 } },
    usage: { storage: `sqlite:${join(home, 'usage.db')}`, flushIntervalMs: 50 },
    fleet: fleetSettings,
    ...extra,
  } as ConduitConfigInput;
  const server = createConduit(config, { home, logger, ...(options.ui ? { ui: true } : {}) });
  const fleet = server.fleet;
  if (!fleet) throw new Error('the config has a fleet section: createConduit must wire it');
  const { url } = await server.start({ port: 0, host: '127.0.0.1' });
  return {
    url,
    server,
    fleet,
    upstream,
    home,
    logs,
    async close() {
      await server.stop();
      await upstream.close();
      if (!options.home) rmSync(home, { recursive: true, force: true });
    },
  };
}
