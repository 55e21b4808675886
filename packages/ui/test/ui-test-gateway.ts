/**
 * Test helper (not shipped): a real gateway on 127.0.0.1 (port 0) wired with the UI as
 * `@conduit/conduit`'s composition root wires it (server + monitoring's ledger + the UI), reading a config file in a temporary `$CONDUIT_HOME`, with two recording mock
 * OpenAI-compatible providers (`alpha`, `beta`) and a SQLite ledger.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ConduitConfigInput, loadConfig } from '@conduit/core';
import { monitoring, type UsageTracker } from '@conduit/monitoring';
import { plugins } from '@conduit/plugins';
import {
  type ConduitServer,
  conduitConfigValidators,
  createConduitServer,
  createDefaultTransformerRegistry,
  parseConduitConfig,
} from '@conduit/server';
// The jest-free entry: scripts/measure-first-paint.ts runs this outside jest.
import { type MockOpenAIProvider, startMockOpenAIProvider } from '@conduit/test-utils/helpers';
import { type ConduitUIOptions, createConduitUI, type UIGateway } from '../src/index.js';

/** A server with the ledger (`<home>/usage.db`) and the UI plugged in. */
export interface ServerWithUI {
  server: ConduitServer;
  usageTracker: UsageTracker | undefined;
}

/**
 * Wires the server, the config's plugins, monitoring's ledger and the UI (its route extension, observer, key
 * cooldowns and self-authenticated paths), sharing one transformer registry with the editor's
 * validator.
 */
export function createServerWithUI(
  configInput: ConduitConfigInput,
  options: { configPath: string; home: string; ui?: Omit<ConduitUIOptions, 'configPath'> },
): ServerWithUI {
  const transformers = createDefaultTransformerRegistry();
  const config = parseConduitConfig(configInput, {
    configPath: options.configPath,
    registry: transformers,
  });
  const configPlugins = plugins(config, { configPath: options.configPath });
  const ledger = monitoring(config, { home: options.home });
  const ui = createConduitUI({
    configPath: options.configPath,
    configValidators: conduitConfigValidators(transformers),
    listTransformers: () => transformers.names(),
    ...options.ui,
  });
  let server: ConduitServer | undefined;
  const running = () => {
    if (!server) throw new Error('the server is not constructed yet');
    return server;
  };
  const gateway: UIGateway = {
    get config() {
      return running().config;
    },
    get usageTracker() {
      return ledger.usageTracker;
    },
    getCircuitStates: () => running().getCircuitStates(),
    getHealth: () => running().getHealth(),
    reloadConfigFile: () => running().reloadConfigFile(),
  };
  server = createConduitServer(configInput, {
    configPath: options.configPath,
    parsedConfig: config,
    transformers,
    watchConfig: false,
    extensions: [
      configPlugins,
      ledger,
      { name: 'ui', observer: ui.observer },
      app => ui.extension(app, gateway),
    ],
    resilienceEvents: ui.resilienceEvents,
    selfAuthenticatedPaths: ui.selfAuthenticatedPaths,
  });
  return { server, usageTracker: ledger.usageTracker };
}

export interface UITestGateway extends ServerWithUI {
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
  const loaded = await loadConfig({
    path: configPath,
    extraValidators: conduitConfigValidators(createDefaultTransformerRegistry()),
  });
  const { server, usageTracker } = createServerWithUI(loaded.config as never, {
    configPath,
    home,
    ...(options.now ? { ui: { now: options.now } } : {}),
  });
  const { url } = await server.start({ port: 0, host: '127.0.0.1' });
  return {
    server,
    usageTracker,
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
