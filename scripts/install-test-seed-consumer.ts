// The seed plan's code blocks (sections 1.2, 1.3, 2.1–2.3, 3.1–3.2, 4.1–4.2, 5.1), written as a
// user of the published packages types them (`@tehreet/conduit` read as `@conduit/conduit`). The
// install test copies this file into a fresh project as seed.ts (ESM) and seed.cts (CommonJS),
// compiles both against the packed tarballs (node16 resolution, skipLibCheck off) and runs
// `runSeedPlan` from each against a mock Anthropic upstream on 127.0.0.1.
import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ConduitConfig,
  type ConduitPlugin,
  ConduitRouter,
  ConduitServer,
  ConfigManager,
  ConfigPresetManager,
  ContextExtractor,
  createConduitClient,
  createConduitRouter,
  createConduitServer,
  type EnhancedServerConfig,
  HealthMonitor,
  type HealthStatus,
  type PluginConfig,
  PluginManager,
  type ProviderConfig,
  type RouterConfig,
  type RoutingContext,
  type RoutingDecision,
  type RoutingRule,
  type RuleCondition,
  run,
  type ServerConfig,
  SynapseIntegration,
  TokenCounter,
  UsageTracker,
  type ValidationResult,
} from '@conduit/conduit';
import { ConduitRouter as RouterFromSubpath } from '@conduit/conduit/router';
import { PluginManager as PluginsFromSubpath } from '@conduit/conduit/plugins';

// 1.2 Enhanced library exports: the plan's convenience factories, as it writes them.
export const planCreateConduitClient = (config: ConduitConfig) => {
  return new ConduitServer({ initialConfig: config });
};
export const planCreateConduitRouter = (config: ConduitConfig) => {
  return new ConduitRouter(config);
};
export const enhanced: EnhancedServerConfig = { initialConfig: { Router: { default: 'a,b' } } };
export const runExport: typeof run = run;
export const sameRouterClass: boolean = RouterFromSubpath === ConduitRouter;
export const samePluginManagerClass: boolean = PluginsFromSubpath === PluginManager;

// 1.3 Core type definitions, every field as the plan lists it.
export function seedConfig(upstreamURL: string): ConduitConfig {
  const rule: RoutingRule = {
    id: 'reasoning-agents',
    name: 'reasoning-agents',
    conditions: [{ field: 'metadata.agentType', operator: 'eq', value: 'reasoning' }],
    target: 'anthropic,claude-3-5-haiku-20241022',
    priority: 10,
    enabled: true,
  };
  const condition: RuleCondition = { field: 'message', operator: 'contains', value: 'URGENT' };
  const provider: ProviderConfig = {
    name: 'anthropic',
    api_base_url: `${upstreamURL}/v1/messages`,
    api_key: 'sk-seed-upstream',
    models: ['claude-3-5-sonnet-20241022', 'claude-3-5-haiku-20241022'],
    transformer: { use: ['Anthropic'] },
  };
  const router: RouterConfig = {
    default: 'anthropic,claude-3-5-sonnet-20241022',
    longContext: 'anthropic,claude-3-5-haiku-20241022',
    background: 'anthropic,claude-3-5-haiku-20241022',
    think: 'anthropic,claude-3-5-sonnet-20241022',
    customRules: [
      rule,
      {
        id: 'urgent',
        name: 'urgent',
        conditions: [condition],
        target: 'anthropic,claude-3-5-sonnet-20241022',
        priority: 5,
        enabled: false,
      },
    ],
  };
  const server: ServerConfig = {
    port: 0,
    host: '127.0.0.1',
    cors: false,
    healthCheck: true,
    gracefulShutdown: true,
    timeout: 30000,
  };
  const plugins: PluginConfig[] = [];
  return { Providers: [provider], Router: router, plugins, server, usage: { enabled: false } };
}

export const seedContext: RoutingContext = {
  tokenCount: 1000,
  model: 'claude-3-5-sonnet-20241022',
  message: 'Test message',
  metadata: {},
};

export function describeDecision(decision: RoutingDecision): string {
  const { model, provider, reason, confidence, metadata } = decision;
  return `${provider},${model} (${reason}, confidence ${confidence}, ${Object.keys(metadata).length} metadata keys)`;
}

// 2.1 Programmatic server management.
async function serverManagement(config: ConduitConfig): Promise<void> {
  const conduit = new ConduitServer(config);
  await conduit.start();
  const health: HealthStatus = conduit.getHealth();
  assert.equal(health.healthy, true);
  assert.ok(health.startTime instanceof Date);
  assert.equal(typeof health.uptime, 'number');
  const decision = await conduit.route(seedContext);
  assert.equal(decision.provider, 'anthropic');
  assert.equal(decision.model, 'claude-3-5-sonnet-20241022');
  await conduit.updateConfig({ Router: { default: 'anthropic,claude-3-5-haiku-20241022' } });
  assert.equal((await conduit.route(seedContext)).model, 'claude-3-5-haiku-20241022');
  await conduit.stop();
  assert.equal(conduit.getHealth().healthy, false);
  console.log('2.1 ConduitServer start/route/updateConfig/stop ok');
}

// 2.2 Standalone router.
async function standaloneRouter(config: ConduitConfig): Promise<void> {
  const router = createConduitRouter(config);
  await router.initialize();
  const tokenCounter = new TokenCounter();
  const tokenCount = await tokenCounter.count('Hello world');
  assert.ok(tokenCount > 0);

  const longContext = await router.route({ ...seedContext, tokenCount: 70000 });
  assert.equal(longContext.reason, 'longContext');
  const ruled = await router.route({
    ...seedContext,
    tokenCount: 70000,
    metadata: { agentType: 'reasoning' },
  });
  assert.equal(ruled.reason, 'rule:reasoning-agents'); // a custom rule beats long context
  const disabled = await router.route({ ...seedContext, message: 'URGENT fix' });
  assert.equal(disabled.reason, 'default'); // the disabled rule is skipped
  const explicit = await router.route({
    ...seedContext,
    model: 'anthropic,claude-3-5-haiku-20241022',
  });
  assert.equal(explicit.reason, 'explicit');
  const background = await router.route({ ...seedContext, model: 'claude-3-5-haiku-20241022' });
  assert.equal(background.reason, 'background');

  const planRouter = planCreateConduitRouter(config);
  await planRouter.initialize();
  await planRouter.updateConfig({
    ...config,
    Router: { default: 'anthropic,claude-3-5-haiku-20241022' },
  });
  assert.equal((await planRouter.route(seedContext)).model, 'claude-3-5-haiku-20241022');
  console.log('2.2 ConduitRouter ok:', describeDecision(ruled));
}

// 2.3 Enhanced plugin system.
async function pluginSystem(config: ConduitConfig): Promise<void> {
  const calls: string[] = [];
  const tagger: ConduitPlugin = {
    name: 'tagger',
    version: '1.0.0',
    description: 'tags requests',
    async onLoad(): Promise<void> {
      calls.push('load');
    },
    async onUnload(): Promise<void> {
      calls.push('unload');
    },
    async beforeRouting(context: RoutingContext): Promise<RoutingContext> {
      return { ...context, metadata: { ...context.metadata, agentType: 'reasoning' } };
    },
    async afterRouting(decision: RoutingDecision): Promise<RoutingDecision> {
      return { ...decision, metadata: { ...decision.metadata, tagged: true } };
    },
    getHealth(): HealthStatus {
      return { healthy: true, checks: [], uptime: 0, startTime: new Date() };
    },
    validateConfig(pluginConfig: unknown): boolean {
      return pluginConfig !== null;
    },
  };
  const broken: ConduitPlugin = {
    name: 'broken',
    version: '1.0.0',
    async beforeRouting(): Promise<RoutingContext> {
      throw new Error('broken plugin');
    },
  };
  const chooser: ConduitPlugin = {
    name: 'chooser',
    version: '1.0.0',
    async customRouter(context: RoutingContext) {
      return context.message === 'choose'
        ? {
            provider: 'anthropic',
            model: 'claude-3-5-haiku-20241022',
            reason: 'chosen',
            confidence: 0.9,
            metadata: {},
          }
        : null;
    },
  };
  const configs: PluginConfig[] = [
    { name: 'broken', enabled: true, source: 'inline', module: broken },
    { name: 'tagger', enabled: true, source: 'inline', module: tagger, config: { level: 1 } },
    { name: 'chooser', enabled: true, source: 'inline', module: chooser },
    { name: 'disabled', enabled: false, source: 'npm' },
  ];
  const plugins = new PluginManager();
  await plugins.loadPlugins(configs);
  const processed = await plugins.beforeRouting(seedContext);
  assert.equal(processed.metadata?.agentType, 'reasoning');
  const router = createConduitRouter(config);
  const decision = await plugins.afterRouting(await router.route(processed));
  assert.equal(decision.reason, 'rule:reasoning-agents');
  assert.equal(decision.metadata.tagged, true);
  assert.equal(await plugins.customRouting(seedContext), null);
  const chosen = await plugins.customRouting({ ...seedContext, message: 'choose' });
  assert.equal(chosen?.model, 'claude-3-5-haiku-20241022');
  await plugins.cleanup();
  assert.deepEqual(calls, ['load', 'unload']);
  console.log('2.3 PluginManager ok');
}

// 3.1 Synapse integration layer.
async function synapseIntegration(config: ConduitConfig): Promise<void> {
  const integration = new SynapseIntegration({
    ...config,
    preset: 'synapse',
    usage: { enabled: true },
  });
  const contextExtractor = new ContextExtractor();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SYNAPSE_PROJECT_ID: 'project-123',
    SYNAPSE_AGENT_ID: 'coder-1',
    SYNAPSE_AGENT_TYPE: 'coding',
  };
  const context = contextExtractor.extractFromEnvironment(env);
  assert.equal(context.projectId, 'project-123');
  const routed: { model: string; provider: string; metadata: unknown } =
    await integration.routeClaudeRequest(['-p', 'Hello world'], env);
  assert.equal(routed.provider, 'anthropic');
  await integration.trackUsage({
    projectId: 'project-123',
    provider: routed.provider,
    model: routed.model,
    inputTokens: 1200,
    outputTokens: 300,
  });
  const stats = await integration.getUsageStats('project-123');
  assert.equal(stats.requestCount, 2);
  assert.ok(stats.totalCost > 0);
  await integration.close();
  console.log('3.1 SynapseIntegration ok:', routed.provider, routed.model);
}

// 3.2 Configuration management.
async function configurationManagement(config: ConduitConfig): Promise<void> {
  const manager = new ConfigManager();
  await manager.loadPreset('synapse');
  // Conduit validates every update (an invalid one throws ConfigError and changes nothing).
  manager.updateConfig({
    Providers: config.Providers,
    Router: { default: 'anthropic,claude-3-5-sonnet-20241022' },
  });
  const merged: ConduitConfig = manager.getConfig();
  assert.equal(merged.Router?.default, 'anthropic,claude-3-5-sonnet-20241022');
  assert.equal(merged.Router?.longContextThreshold, 50000); // from the preset
  const result: ValidationResult = manager.validateConfig();
  assert.equal(result.valid, true);
  assert.throws(
    () => manager.updateConfig({ Router: { default: 'nope,model' } }),
    /Router\.default/,
  );
  const presets = new ConfigPresetManager();
  const synapse = await presets.loadBuiltinPreset('synapse');
  assert.equal(presets.validateConfig(synapse).valid, true);
  const invalid = presets.validateConfig({ ...synapse, Router: { default: 'nope,model' } });
  assert.equal(invalid.valid, false);
  assert.ok(invalid.errors.some(error => error.includes('Router.default')));
  console.log('3.2 ConfigManager/ConfigPresetManager ok');
}

// 4.1 Usage tracking, 4.2 health monitoring.
async function monitoring(): Promise<void> {
  const usageTracker = new UsageTracker({ storage: 'sqlite::memory:' });
  const context: RoutingContext = { ...seedContext, metadata: { projectId: 'p', agentId: 'a' } };
  const decision = await createConduitRouter(seedConfig('http://127.0.0.1:9')).route(context);
  await usageTracker.trackRequest(context, decision);
  await usageTracker.track({
    projectId: 'p',
    provider: 'anthropic',
    model: decision.model,
    inputTokens: 10,
  });
  const stats = await usageTracker.getStats('p', { since: new Date(Date.now() - 60_000) });
  assert.equal(stats.requestCount, 2);
  const breakdown = await usageTracker.getCostBreakdown('p');
  assert.ok(breakdown.totalCostUsd >= 0);
  await usageTracker.close();

  const healthMonitor = new HealthMonitor();
  healthMonitor.registerCheck('router', () => ({ healthy: true, timestamp: new Date() }));
  healthMonitor.start();
  await healthMonitor.runHealthChecks();
  const status: HealthStatus = healthMonitor.getStatus();
  assert.equal(status.healthy, true);
  assert.equal(status.checks[0]?.healthy, true);
  healthMonitor.stop();
  assert.equal(healthMonitor.getStatus().healthy, false);
  console.log('4.1/4.2 UsageTracker/HealthMonitor ok');
}

// 5.1 Examples 1–3, against the upstream.
async function examples(upstreamURL: string): Promise<void> {
  // Example 1: Basic Synapse integration
  const conduit = new ConduitServer({
    preset: 'synapse',
    server: {
      port: 0,
      healthCheck: true,
    },
    Providers: seedConfig(upstreamURL).Providers,
    Router: {
      default: 'anthropic,claude-3-5-sonnet-20241022',
      longContext: 'anthropic,claude-3-5-sonnet-20241022',
      background: 'anthropic,claude-3-5-haiku-20241022',
    },
  });
  await conduit.start();
  const response = await fetch(`${conduit.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-synapse-project-id': 'example-1' },
    body: JSON.stringify({
      model: 'claude-3-5-sonnet-20241022',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'Hello world' }],
    }),
  });
  const body = (await response.json()) as { content?: Array<{ text?: string }> };
  assert.equal(response.status, 200);
  assert.equal(body.content?.[0]?.text, 'seed ok');
  await conduit.stop();
  console.log('5.1 Example 1 ok: served', body.content?.[0]?.text);

  // Example 2: Programmatic routing
  const config: ConduitConfig = {
    ...seedConfig(upstreamURL),
    preset: 'synapse',
    usage: { enabled: true },
  };
  const integration = new SynapseIntegration(config);
  const routingDecision = await integration.routeClaudeRequest(['--message', 'Hello world'], {
    ...process.env,
    SYNAPSE_PROJECT_ID: 'project-123',
  });
  assert.equal(routingDecision.provider, 'anthropic');
  console.log('5.1 Example 2 ok:', routingDecision.provider, routingDecision.model);

  // Example 3: Usage tracking
  const stats = await integration.getUsageStats('project-123');
  console.log('Total cost:', stats.totalCost);
  console.log('Request count:', stats.requestCount);
  assert.ok(stats.requestCount >= 1);
  await integration.close();
}

/** Runs every section against a mock Anthropic upstream; throws on the first wrong answer. */
export async function runSeedPlan(): Promise<void> {
  const upstream = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'msg_seed',
          type: 'message',
          role: 'assistant',
          model: 'claude-3-5-sonnet-20241022',
          content: [{ type: 'text', text: 'seed ok' }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: 3, output_tokens: 2 },
        }),
      );
    });
  });
  await new Promise<void>(resolve => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamURL = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  try {
    const config = seedConfig(upstreamURL);
    assert.ok(sameRouterClass && samePluginManagerClass);
    const client = planCreateConduitClient(config);
    assert.equal((await client.route(seedContext)).provider, 'anthropic');
    await client.stop();
    await createConduitClient(config).stop();
    await createConduitServer(config).stop();
    await serverManagement(config);
    await standaloneRouter(config);
    await pluginSystem(config);
    await synapseIntegration(config);
    await configurationManagement(config);
    await monitoring();
    await examples(upstreamURL);
  } finally {
    upstream.close();
  }
}
