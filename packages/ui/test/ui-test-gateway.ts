/**
 * Test helper (not shipped): a real gateway on 127.0.0.1 (port 0) wired with the UI exactly as the
 * CLI wires it, reading a config file in a temporary `$CONDUIT_HOME`, with two recording mock
 * OpenAI-compatible providers (`alpha`, `beta`) and a SQLite ledger.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@conduit/core';
import {
  type ConduitServer,
  conduitConfigValidators,
  createConduitServer,
  createDefaultTransformerRegistry,
} from '@conduit/server';
import { type MockOpenAIProvider, startMockOpenAIProvider } from '@conduit/test-utils';
import { createConduitUI } from '../src/index.js';

export interface UITestGateway {
  server: ConduitServer;
  baseURL: string;
  home: string;
  configPath: string;
  alpha: MockOpenAIProvider;
  beta: MockOpenAIProvider;
  close(): Promise<void>;
}

/** The config text the gateway starts with (JSON5, with a comment, a $VAR key and a literal key). */
export function initialConfigText(alpha: string, beta: string, extra = ''): string {
  return `{
  // Two mock providers; alpha serves by default.
  Providers: [
    { name: "alpha", api_base_url: "${alpha}", api_key: "sk-alpha-literal-secret-123", models: ["alpha-model"] },
    { name: "beta", api_base_url: "${beta}", api_key: "$UI_TEST_BETA_KEY", models: ["beta-model", "beta-large"] },
  ],
  Router: { default: "alpha,alpha-model" },
  resilience: { retry: { maxAttempts: 1 } },
  usage: {
    flushIntervalMs: 50,
    pricing: {
      "alpha-model": { input: 3, output: 15 },
      "beta-model": { input: 1, output: 4 },
      "beta-large": { input: 15, output: 75 },
    },
  },${extra}
}
`;
}

export async function startUITestGateway(
  options: { extraConfig?: string; now?: () => number } = {},
): Promise<UITestGateway> {
  const [alpha, beta] = await Promise.all([startMockOpenAIProvider(), startMockOpenAIProvider()]);
  const home = await mkdtemp(join(tmpdir(), 'conduit-ui-'));
  await chmod(home, 0o700);
  const configPath = join(home, 'config.json');
  await writeFile(
    configPath,
    initialConfigText(alpha.endpoint, beta.endpoint, options.extraConfig),
    { mode: 0o600 },
  );
  process.env.UI_TEST_BETA_KEY = 'sk-beta-from-environment-456';
  const transformers = createDefaultTransformerRegistry();
  const loaded = await loadConfig({
    path: configPath,
    extraValidators: conduitConfigValidators(transformers),
  });
  const ui = createConduitUI({
    configPath,
    configValidators: conduitConfigValidators(transformers),
    listTransformers: () => transformers.names(),
    ...(options.now ? { now: options.now } : {}),
  });
  // The ledger defaults to <home>/usage.db.
  const server = createConduitServer(loaded.config as never, {
    configPath,
    home,
    transformers,
    watchConfig: false,
    extensions: [ui.extension],
    observer: ui.observer,
    resilienceEvents: ui.resilienceEvents,
    selfAuthenticatedPaths: ui.selfAuthenticatedPaths,
  });
  const { url } = await server.start({ port: 0, host: '127.0.0.1' });
  return {
    server,
    baseURL: url,
    home,
    configPath,
    alpha,
    beta,
    async close() {
      await server.stop({ timeoutMs: 1000 });
      await Promise.all([alpha.close(), beta.close()]);
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** Every UI page and API, with its method: all of them need the session (or the key) under APIKEY. */
export const authenticatedUIRoutes: ReadonlyArray<readonly [string, string]> = [
  ['GET', '/ui/'],
  ['GET', '/ui/api/overview'],
  ['GET', '/ui/api/series'],
  ['GET', '/ui/api/breakdown?by=model'],
  ['GET', '/ui/api/requests'],
  ['GET', '/ui/api/events'],
  ['POST', '/ui/api/explain'],
  ['GET', '/ui/api/config'],
  ['POST', '/ui/api/config/validate'],
  ['PUT', '/ui/api/config'],
  ['GET', '/ui/api/providers'],
  ['GET', '/ui/api/circuits'],
  ['GET', '/ui/api/budgets'],
  ['GET', '/ui/api/session'],
  ['GET', '/ui/assets/app.js'],
  ['GET', '/api/config'],
  ['POST', '/api/config'],
  ['GET', '/api/transformers'],
  ['POST', '/api/restart'],
];
