/**
 * The Conduit configuration: a superset of claude-code-router's `config.json`.
 *
 * CCR keys keep their spelling (`Providers`, `Router`, `APIKEY`, `PORT`, …) so a CCR file loads
 * unchanged; Conduit's own sections are camelCase (`server`, `resilience`, `usage`, `synapse`, …).
 * Unknown top-level keys are kept (CCR users have `StatusLine` and friends) but not interpreted.
 * @module
 */
import { z } from 'zod';

/** `"name"` or `["name", {options}]`, as in CCR's `transformer.use`. */
export const transformerUseSchema = z.union([
  z.string().min(1),
  z.tuple([z.string().min(1), z.record(z.string(), z.unknown())]),
]);

/** `{ use: [...], "<model>": { use: [...] } }` */
export const providerTransformerSchema = z
  .object({ use: z.array(transformerUseSchema).optional() })
  .catchall(z.looseObject({ use: z.array(transformerUseSchema).optional() }));

export const providerConfigSchema = z.looseObject({
  /** Unique provider name, used in `provider,model` routes. */
  name: z.string().min(1),
  /** Full endpoint URL, e.g. `https://api.deepseek.com/chat/completions` (CCR semantics). */
  api_base_url: z.string().min(1),
  /** API key; `$VAR`/`${VAR}` are interpolated. */
  api_key: z.string().optional(),
  /** Conduit: a key pool. Requests spread across the keys; a key that gets 401/429 cools down. */
  api_keys: z.array(z.string().min(1)).optional(),
  models: z.array(z.string().min(1)).default([]),
  transformer: providerTransformerSchema.optional(),
  /** Conduit: extra headers sent upstream. */
  headers: z.record(z.string(), z.string()).optional(),
  /** CCR v2 tokenizer settings; accepted, counting uses cl100k_base. */
  tokenizer: z.unknown().optional(),
  /** Conduit: per-provider timeouts override `resilience.timeouts`. */
  timeouts: z
    .object({
      connectMs: z.number().int().positive().optional(),
      firstByteMs: z.number().int().positive().optional(),
      idleMs: z.number().int().positive().optional(),
      totalMs: z.number().int().positive().optional(),
    })
    .optional(),
});

export const ruleConditionSchema = z.object({
  field: z.string().min(1),
  operator: z.enum(['gt', 'lt', 'gte', 'lte', 'eq', 'neq', 'contains', 'matches']),
  value: z.union([z.string(), z.number(), z.boolean()]),
});

export const routingRuleSchema = z.object({
  name: z.string().min(1),
  route: z.string().min(1),
  conditions: z.array(ruleConditionSchema).default([]),
  priority: z.number().default(0),
  enabled: z.boolean().default(true),
  match: z.enum(['all', 'any']).default('all'),
});

export const routerConfigSchema = z.looseObject({
  default: z.string().optional(),
  background: z.string().optional(),
  think: z.string().optional(),
  longContext: z.string().optional(),
  longContextThreshold: z.number().int().positive().default(60000),
  webSearch: z.string().optional(),
  image: z.string().optional(),
  /** Conduit: rules evaluated before the built-in scenarios, highest priority first. */
  customRules: z.array(routingRuleSchema).default([]),
  /**
   * Conduit: route `thinking: {type: "adaptive"}` (sent on every Claude Code main-loop request) to
   * `think`. Off by default, otherwise every Claude Code turn would go to the think model.
   */
  thinkOnAdaptive: z.boolean().default(false),
});

export const pluginConfigSchema = z.looseObject({
  name: z.string().min(1),
  enabled: z.boolean().default(true),
  config: z.record(z.string(), z.unknown()).optional(),
  /** CCR v2 spelling of `config`. */
  options: z.record(z.string(), z.unknown()).optional(),
  source: z.enum(['file', 'npm', 'inline', 'builtin']).optional(),
  path: z.string().optional(),
  module: z.unknown().optional(),
});

export const serverConfigSchema = z.looseObject({
  port: z.number().int().min(0).max(65535).optional(),
  host: z.string().optional(),
  /** CORS: off unless configured. `true` reflects any origin; a list allows those origins. */
  cors: z.union([z.boolean(), z.array(z.string())]).default(false),
  healthCheck: z
    .object({
      enabled: z.boolean().default(true),
      intervalMs: z.number().int().positive().default(30000),
    })
    .default({ enabled: true, intervalMs: 30000 }),
  gracefulShutdown: z
    .object({
      enabled: z.boolean().default(true),
      timeoutMs: z.number().int().positive().default(30000),
    })
    .default({ enabled: true, timeoutMs: 30000 }),
  /** Upstream total timeout in ms (also settable as CCR's `API_TIMEOUT_MS`). */
  timeout: z.number().int().positive().optional(),
  /** Request body limit in bytes (default 32 MB). */
  bodyLimit: z
    .number()
    .int()
    .positive()
    .default(32 * 1024 * 1024),
});

export const resilienceConfigSchema = z.looseObject({
  retry: z
    .object({
      maxAttempts: z.number().int().min(1).max(10).default(3),
      baseDelayMs: z.number().int().nonnegative().default(250),
      maxDelayMs: z.number().int().positive().default(8000),
    })
    .default({ maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 8000 }),
  circuitBreaker: z
    .object({
      enabled: z.boolean().default(true),
      failureThreshold: z.number().int().min(1).default(5),
      cooldownMs: z.number().int().positive().default(30000),
    })
    .default({ enabled: true, failureThreshold: 5, cooldownMs: 30000 }),
  timeouts: z
    .object({
      connectMs: z.number().int().positive().default(10000),
      firstByteMs: z.number().int().positive().default(120000),
      idleMs: z.number().int().positive().default(120000),
      totalMs: z.number().int().positive().default(600000),
    })
    .default({ connectMs: 10000, firstByteMs: 120000, idleMs: 120000, totalMs: 600000 }),
  /** Key cooldown after a 401/429, in ms (a 429's `retry-after` wins when it is longer). */
  keyCooldownMs: z.number().int().positive().default(60000),
  /**
   * When every key of a provider is cooling down: `use-soonest` (default) sends the request with
   * the key that recovers first; `fail` answers 429 `rate_limit_error` at once.
   */
  allKeysCooling: z.enum(['use-soonest', 'fail']).default('use-soonest'),
});

export const modelPriceSchema = z.object({
  /** USD per million input tokens. */
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cacheRead: z.number().nonnegative().optional(),
  cacheWrite: z.number().nonnegative().optional(),
});

export const usageConfigSchema = z.looseObject({
  enabled: z.boolean().default(true),
  /** `sqlite:<path>` / a file path (default `$CONDUIT_HOME/usage.db`) or a `postgres://` URL. */
  storage: z.string().optional(),
  /** Price overrides keyed by `provider,model` or `model`. */
  pricing: z.record(z.string(), modelPriceSchema).optional(),
  batchSize: z.number().int().positive().default(100),
  flushIntervalMs: z.number().int().positive().default(1000),
  maxQueueSize: z.number().int().positive().default(10000),
});

/**
 * Fallback chains. Keys are routing scenarios (CCR: `default`, `background`, `think`, …) or a
 * `provider,model` target (Conduit: alternatives for that target, whatever routed to it). Values
 * are ordered `provider,model` lists. A target's own list is tried before its scenario's list.
 */
export const fallbackConfigSchema = z.record(z.string(), z.array(z.string().min(1)));

export const customTransformerSchema = z.looseObject({
  path: z.string().min(1),
  options: z.record(z.string(), z.unknown()).optional(),
});

export const conduitConfigSchema = z.looseObject({
  /** Name of a built-in or file preset merged under this config (e.g. `synapse`). */
  preset: z.string().optional(),
  presetConfig: z.record(z.string(), z.unknown()).optional(),
  Providers: z.array(providerConfigSchema).default([]),
  Router: routerConfigSchema.default(() => routerConfigSchema.parse({})),
  APIKEY: z.string().optional(),
  HOST: z.string().optional(),
  PORT: z.number().int().min(0).max(65535).optional(),
  LOG: z.boolean().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  API_TIMEOUT_MS: z.number().int().positive().optional(),
  PROXY_URL: z.string().optional(),
  NON_INTERACTIVE_MODE: z.boolean().optional(),
  CLAUDE_PATH: z.string().optional(),
  CUSTOM_ROUTER_PATH: z.string().optional(),
  REWRITE_SYSTEM_PROMPT: z.string().optional(),
  forceUseImageAgent: z.boolean().optional(),
  transformers: z.array(customTransformerSchema).default([]),
  fallback: fallbackConfigSchema.optional(),
  plugins: z.array(pluginConfigSchema).default([]),
  server: serverConfigSchema.default(() => serverConfigSchema.parse({})),
  resilience: resilienceConfigSchema.default(() => resilienceConfigSchema.parse({})),
  usage: usageConfigSchema.default(() => usageConfigSchema.parse({})),
  /** Synapse integration settings (see `@conduit/synapse`). */
  synapse: z.record(z.string(), z.unknown()).optional(),
});

/** The config as written (input, before defaults). */
export type ConduitConfigInput = z.input<typeof conduitConfigSchema>;
/** The config after parsing and defaults. */
export type ConduitConfig = z.output<typeof conduitConfigSchema>;
export type ProviderConfig = z.output<typeof providerConfigSchema>;
export type RouterConfig = z.output<typeof routerConfigSchema>;
export type ServerConfig = z.output<typeof serverConfigSchema>;
export type ResilienceConfig = z.output<typeof resilienceConfigSchema>;
export type UsageConfig = z.output<typeof usageConfigSchema>;
export type ModelPrice = z.output<typeof modelPriceSchema>;
export type TransformerUse = z.output<typeof transformerUseSchema>;
export type ProviderTransformerConfig = z.output<typeof providerTransformerSchema>;
export type PluginConfigEntry = z.output<typeof pluginConfigSchema>;
export type CustomTransformerConfig = z.output<typeof customTransformerSchema>;
