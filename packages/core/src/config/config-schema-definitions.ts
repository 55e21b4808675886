/**
 * The zod schemas of the Conduit configuration, built on first use; `config-schema.ts` exports them.
 * `parse-config-fast.ts` checks a config the same way without zod and must follow every change here
 * (its parity test compares the two).
 * @module
 */
import type { z } from 'zod';

type Zod = typeof import('zod').z;

/** Builds the schemas with `z` (called once, on first use: see `load-zod.ts`). */
export function defineConfigSchemas(z: Zod) {
  /** `"name"` or `["name", {options}]`, as in CCR's `transformer.use`. */
  const transformerUseSchema = z
    .union([z.string().min(1), z.tuple([z.string().min(1), z.record(z.string(), z.unknown())])])
    .describe('A transformer: its name, or `["name", {options}]`.');

  /** `{ use: [...], "<model>": { use: [...] } }` */
  /** `"<model>": { use: [...] }` inside a provider's `transformer`. */
  const modelTransformerSchema = z
    .looseObject({
      use: z
        .array(transformerUseSchema)
        .optional()
        .describe('Transformers applied to this model, after the provider-wide ones.'),
    })
    .describe('Transformers for one model, keyed by the model id.');

  /**
   * `{ use: [...], "<model>": { use: [...] } }`. Model entries are validated by a refinement rather
   * than `.catchall()`, whose inferred index signature would clash with `use` and make the type
   * impossible to write in TypeScript (`transformer: { use: ['Anthropic'] }` would not compile).
   */
  const providerTransformerSchema = z
    .object({
      use: z
        .array(transformerUseSchema)
        .optional()
        .describe('Transformers applied to every model of this provider, in order.'),
    })
    .catchall(z.unknown())
    .superRefine((value, context) => {
      for (const [model, entry] of Object.entries(value)) {
        if (model === 'use') continue;
        const result = modelTransformerSchema.safeParse(entry);
        if (result.success) continue;
        for (const issue of result.error.issues) {
          context.addIssue({
            code: 'custom',
            message: issue.message,
            path: [model, ...issue.path],
          });
        }
      }
    });

  const providerConfigSchema = z.looseObject({
    /** Unique provider name, used in `provider,model` routes. */
    name: z
      .string()
      .min(1)
      .describe(
        'Unique provider name (compared case-insensitively), the `provider` part of `provider,model` routes.',
      ),
    /** Full endpoint URL, e.g. `https://api.deepseek.com/chat/completions` (CCR semantics). */
    api_base_url: z
      .string()
      .min(1)
      .describe(
        'Full endpoint URL (CCR semantics): `…/chat/completions` (OpenAI-compatible), `…/v1/messages` (Anthropic passthrough), `…/v1beta/models/` (Gemini, with the `gemini` transformer), `…/v1/responses` (with `openai-responses`).',
      ),
    /** API key; `$VAR`/`${VAR}` are interpolated. */
    api_key: z
      .string()
      .optional()
      .describe(
        'API key sent upstream; environment references (`$VAR`, also braced) are interpolated. First key of the key pool.',
      ),
    /** Conduit: a key pool. Requests spread across the keys; a key that gets 401/429 cools down. */
    api_keys: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'Conduit: more keys for a key pool (after `api_key`). Requests rotate round-robin; a key answered with 401/429 cools down.',
      ),
    models: z
      .array(z.string().min(1))
      .default([])
      .describe('Model ids this provider serves; routes must name one of them (case-insensitive).'),
    transformer: providerTransformerSchema
      .optional()
      .describe(
        'CCR transformer chain: `use` for every model, `"<model>": { "use": [...] }` for one model (see docs/providers.md).',
      ),
    /** Conduit: extra headers sent upstream. */
    headers: z
      .record(z.string(), z.string())
      .optional()
      .describe('Conduit: extra HTTP headers sent upstream with every request to this provider.'),
    /** CCR v2 tokenizer settings; accepted, counting uses cl100k_base. */
    tokenizer: z
      .unknown()
      .optional()
      .describe(
        'CCR v2 tokenizer settings: accepted and ignored; tokens are counted with cl100k_base for every provider.',
      ),
    /** Conduit: per-provider timeouts override `resilience.timeouts`. */
    timeouts: z
      .object({
        connectMs: z
          .number()
          .int()
          .positive()
          .optional()
          .describe('TCP/TLS connect timeout for this provider (ms).'),
        firstByteMs: z
          .number()
          .int()
          .positive()
          .optional()
          .describe('Time allowed until the response headers and first stream frame (ms).'),
        idleMs: z
          .number()
          .int()
          .positive()
          .optional()
          .describe('Longest silence allowed between two stream chunks (ms).'),
        totalMs: z
          .number()
          .int()
          .positive()
          .optional()
          .describe("Bound on this provider's own attempts (ms)."),
      })
      .optional()
      .describe('Conduit: timeouts for this provider, overriding `resilience.timeouts`.'),
  });

  const ruleConditionSchema = z.object({
    field: z
      .string()
      .min(1)
      .describe(
        'What to test: `tokenCount`, `model` (the request model), `message` (text of the last user message), `sessionId`, `metadata.<key>` or `header.<name>`.',
      ),
    operator: z
      .enum(['gt', 'lt', 'gte', 'lte', 'eq', 'neq', 'contains', 'matches'])
      .describe(
        '`gt`/`lt`/`gte`/`lte` compare numbers; `eq`/`neq` compare values; `contains` tests a substring (or a list item); `matches` a regular expression (`"pattern"` or `"/pattern/flags"`) against the first 16,384 characters; patterns that nest unbounded repetition (`(a+)+`) are refused.',
      ),
    value: z.union([z.string(), z.number(), z.boolean()]).describe('The value to compare with.'),
  });

  const routingRuleSchema = z
    .object({
      id: z
        .string()
        .min(1)
        .optional()
        .describe(
          'Seed plan: an identifier for the rule (stands in for `name` when `name` is omitted).',
        ),
      name: z
        .string()
        .min(1)
        .optional()
        .describe(
          'Unique rule name (required unless `id` is given); decisions it makes have the reason `rule:<name>`.',
        ),
      route: z
        .string()
        .min(1)
        .optional()
        .describe(
          '`provider,model` to route to when the rule matches (required, or its alias `target`).',
        ),
      target: z.string().min(1).optional().describe("Alias of `route` (the seed plan's spelling)."),
      conditions: z
        .array(ruleConditionSchema)
        .default([])
        .describe('Conditions to test; a rule without conditions always matches.'),
      priority: z
        .number()
        .default(0)
        .describe('Rules are evaluated highest priority first; ties keep config order.'),
      enabled: z.boolean().default(true).describe('`false` skips the rule.'),
      match: z
        .enum(['all', 'any'])
        .default('all')
        .describe('`all`: every condition must hold; `any`: one is enough.'),
    })
    .superRefine((rule, context) => {
      if (rule.name === undefined && rule.id === undefined) {
        context.addIssue({
          code: 'custom',
          path: ['name'],
          message: 'is required: a unique rule name (or `id`).',
        });
      }
      if (rule.route === undefined && rule.target === undefined) {
        context.addIssue({
          code: 'custom',
          path: ['route'],
          message: 'is required: the `provider,model` to route to (`target` is accepted too).',
        });
      } else if (
        rule.route !== undefined &&
        rule.target !== undefined &&
        rule.route !== rule.target
      ) {
        context.addIssue({
          code: 'custom',
          path: ['target'],
          message: `("${rule.target}") disagrees with route ("${rule.route}"); keep one of them.`,
        });
      }
    })
    .transform(rule => ({
      ...rule,
      name: (rule.name ?? rule.id) as string,
      route: (rule.route ?? rule.target) as string,
    }));

  /** `true`/`false` for the `enabled` flag alone (the seed plan's spelling), or the object. */
  function booleanOrObject<Shape extends z.ZodRawShape>(
    shape: z.ZodObject<Shape>,
  ): z.ZodPipe<
    z.ZodUnion<readonly [z.ZodBoolean, z.ZodObject<Shape>]>,
    z.ZodTransform<Awaited<z.output<z.ZodObject<Shape>>>, boolean | z.output<z.ZodObject<Shape>>>
  > {
    return z
      .union([z.boolean(), shape])
      .transform(value => (typeof value === 'boolean' ? shape.parse({ enabled: value }) : value));
  }

  const routerConfigSchema = z.looseObject({
    default: z
      .string()
      .optional()
      .describe('`provider,model` for requests that no other rule routes.'),
    background: z
      .string()
      .optional()
      .describe(
        "Route for Claude Code's background requests (a request model containing `claude` and `haiku`).",
      ),
    think: z
      .string()
      .optional()
      .describe(
        'Route for requests with `thinking: {type: "enabled"}` (and `"adaptive"` with `thinkOnAdaptive`).',
      ),
    longContext: z
      .string()
      .optional()
      .describe('Route for requests whose token count exceeds `longContextThreshold`.'),
    longContextThreshold: z
      .number()
      .int()
      .positive()
      .default(60000)
      .describe('Token count above which `longContext` applies.'),
    webSearch: z
      .string()
      .optional()
      .describe('Route for requests carrying a `web_search` server tool.'),
    image: z
      .string()
      .optional()
      .describe('Route for requests whose last user message holds an image.'),
    /** Conduit: rules evaluated before the built-in scenarios, highest priority first. */
    customRules: z
      .array(routingRuleSchema)
      .default([])
      .describe('Conduit: rules evaluated before the built-in scenarios, highest priority first.'),
    /**
     * Conduit: route `thinking: {type: "adaptive"}` (sent on every Claude Code main-loop request) to
     * `think`. Off by default, otherwise every Claude Code turn would go to the think model.
     */
    thinkOnAdaptive: z
      .boolean()
      .default(false)
      .describe(
        'Conduit: also route `thinking: {type: "adaptive"}` (sent on every Claude Code main-loop turn) to `think`.',
      ),
  });

  const pluginConfigSchema = z.looseObject({
    name: z
      .string()
      .min(1)
      .describe('Unique plugin name (logs, health, the `plugin:<name>` route reason).'),
    enabled: z.boolean().default(true).describe('`false` skips the plugin.'),
    config: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("The plugin's own settings, handed to it on load."),
    /** CCR v2 spelling of `config`. */
    options: z.record(z.string(), z.unknown()).optional().describe('CCR v2 spelling of `config`.'),
    source: z
      .enum(['file', 'npm', 'inline', 'builtin'])
      .optional()
      .describe(
        'Where the plugin comes from; inferred when omitted (a `path` → `file`, a built-in name → `builtin`, else `npm`).',
      ),
    path: z
      .string()
      .optional()
      .describe("Plugin file (ESM or CommonJS), relative to the config file's folder."),
    module: z
      .unknown()
      .optional()
      .describe(
        'npm package or built-in name, or (inline, programmatic use) the plugin object, factory or class.',
      ),
  });

  const serverConfigSchema = z.looseObject({
    port: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .optional()
      .describe('Listen port; wins over `PORT` (default 3456; 0 picks a free port).'),
    host: z
      .string()
      .optional()
      .describe(
        'Listen address; wins over `HOST` (default 127.0.0.1). A non-loopback address needs `APIKEY`.',
      ),
    /** CORS: off unless configured. `true` reflects any origin; a list allows those origins. */
    cors: z
      .union([z.boolean(), z.array(z.string())])
      .default(false)
      .describe('CORS: `false` (off), `true` (reflect any origin) or a list of allowed origins.'),
    healthCheck: booleanOrObject(
      z.object({
        enabled: z.boolean().default(true).describe('Run the health checks periodically.'),
        intervalMs: z
          .number()
          .int()
          .positive()
          .default(30000)
          .describe('Interval between health check runs (ms).'),
      }),
    )
      .default({ enabled: true, intervalMs: 30000 })
      .describe(
        'Background health checks reported by `GET /health`: `true`/`false` or `{ enabled, intervalMs }` (default: enabled, every 30000 ms).',
      ),
    gracefulShutdown: booleanOrObject(
      z.object({
        enabled: z
          .boolean()
          .default(true)
          .describe('Accepted; shutdown is always graceful (`timeoutMs` bounds it).'),
        timeoutMs: z
          .number()
          .int()
          .positive()
          .default(30000)
          .describe('How long in-flight responses may take to finish on stop (ms).'),
      }),
    )
      .default({ enabled: true, timeoutMs: 30000 })
      .describe(
        'What happens on SIGTERM/SIGINT or `stop()`: `true`/`false` or `{ enabled, timeoutMs }`; in-flight responses get `timeoutMs` (default 30000) to finish.',
      ),
    /** Upstream total timeout in ms (also settable as CCR's `API_TIMEOUT_MS`). */
    timeout: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        'Total upstream timeout per request, retries and fallbacks included (ms); wins over `API_TIMEOUT_MS` and `resilience.timeouts.totalMs`.',
      ),
    /** Request body limit in bytes (default 32 MB). */
    bodyLimit: z
      .number()
      .int()
      .positive()
      .default(32 * 1024 * 1024)
      .describe('Request body limit in bytes (32 MiB); larger bodies get 413.'),
  });

  const resilienceConfigSchema = z.looseObject({
    retry: z
      .object({
        maxAttempts: z
          .number()
          .int()
          .min(1)
          .max(10)
          .default(3)
          .describe('Attempts per target, the first included.'),
        baseDelayMs: z
          .number()
          .int()
          .nonnegative()
          .default(250)
          .describe('Base of the exponential backoff with full jitter (ms).'),
        maxDelayMs: z
          .number()
          .int()
          .positive()
          .default(8000)
          .describe('Longest wait between attempts, `retry-after` included (ms).'),
      })
      .default({ maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 8000 })
      .describe('Retries of 408, 409, 429, 5xx, connection failures and timeouts.'),
    circuitBreaker: z
      .object({
        enabled: z.boolean().default(true).describe('One circuit breaker per `provider,model`.'),
        failureThreshold: z
          .number()
          .int()
          .min(1)
          .default(5)
          .describe('Consecutive retryable failures that open the circuit.'),
        cooldownMs: z
          .number()
          .int()
          .positive()
          .default(30000)
          .describe('Time an open circuit waits before letting one trial request through (ms).'),
      })
      .default({ enabled: true, failureThreshold: 5, cooldownMs: 30000 })
      .describe('Skips a failing target until it recovers.'),
    timeouts: z
      .object({
        connectMs: z
          .number()
          .int()
          .positive()
          .default(10000)
          .describe('TCP/TLS connect timeout (ms).'),
        firstByteMs: z
          .number()
          .int()
          .positive()
          .default(120000)
          .describe('Time allowed until the response headers and first stream frame (ms).'),
        idleMs: z
          .number()
          .int()
          .positive()
          .default(120000)
          .describe('Longest silence allowed between two stream chunks (ms).'),
        totalMs: z
          .number()
          .int()
          .positive()
          .default(600000)
          .describe(
            'Whole request, retries and fallbacks included (ms); `server.timeout` and `API_TIMEOUT_MS` win over it.',
          ),
      })
      .default({ connectMs: 10000, firstByteMs: 120000, idleMs: 120000, totalMs: 600000 })
      .describe('Upstream timeouts (per provider overrides: `Providers[].timeouts`).'),
    /** Key cooldown after a 401/429, in ms (a 429's `retry-after` wins when it is longer). */
    keyCooldownMs: z
      .number()
      .int()
      .positive()
      .default(60000)
      .describe(
        "How long a key answered with 401/429 is skipped (ms); a 429's longer `retry-after` wins.",
      ),
    /**
     * When every key of a provider is cooling down: `use-soonest` (default) sends the request with
     * the key that recovers first; `fail` answers 429 `rate_limit_error` at once.
     */
    allKeysCooling: z
      .enum(['use-soonest', 'fail'])
      .default('use-soonest')
      .describe(
        'When every key of a provider is cooling down: `use-soonest` uses the key that recovers first; `fail` answers 429 at once.',
      ),
  });

  const modelPriceSchema = z
    .object({
      /** USD per million input tokens. */
      input: z.number().nonnegative().describe('USD per million input tokens.'),
      output: z.number().nonnegative().describe('USD per million output tokens.'),
      cacheRead: z.number().nonnegative().optional().describe('USD per million cache-read tokens.'),
      cacheWrite: z
        .number()
        .nonnegative()
        .optional()
        .describe('USD per million cache-write tokens.'),
    })
    .describe('Prices of one model in USD per million tokens.');

  const usageConfigSchema = z.looseObject({
    enabled: z.boolean().default(true).describe('Record one ledger row per request.'),
    /** `sqlite:<path>` / a file path (default `$CONDUIT_HOME/usage.db`) or a `postgres://` URL. */
    storage: z
      .string()
      .optional()
      .describe(
        'Ledger location: a file path or `sqlite:<path>` (default `$CONDUIT_HOME/usage.db`), or a `postgres://` URL shared by several instances.',
      ),
    /** Price overrides keyed by `provider,model` or `model`. */
    pricing: z
      .record(z.string(), modelPriceSchema)
      .optional()
      .describe('Price overrides keyed by `provider,model` or `model`.'),
    batchSize: z.number().int().positive().default(100).describe('Rows per write.'),
    flushIntervalMs: z
      .number()
      .int()
      .positive()
      .default(1000)
      .describe('How often queued rows are written (ms).'),
    maxQueueSize: z
      .number()
      .int()
      .positive()
      .default(10000)
      .describe(
        'Rows kept in memory while the storage is slow or down; more are dropped and counted.',
      ),
  });

  /** `conduit statusline` (Claude Code's status line). */
  const statusLineConfigSchema = z.looseObject({
    format: z
      .string()
      .optional()
      .describe(
        'Template of `{{variables}}`: target, provider, model, route, inputTokens, outputTokens, requests, cost, warnings, claudeModel, workDirName, gitBranch, duration, linesAdded, linesRemoved. Segments separated by ` · ` that end up empty are dropped. Default: `{{target}} · {{route}} · ↑{{inputTokens}} ↓{{outputTokens}} · {{cost}} · {{warnings}}`.',
      ),
    offlineFormat: z
      .string()
      .optional()
      .describe(
        'Line shown when the gateway does not answer. Default: `⚠ conduit not reachable · {{claudeModel}}`.',
      ),
    timeoutMs: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('How long the status line waits for the gateway (default 300 ms).'),
    budgetWarningPercent: z
      .number()
      .positive()
      .optional()
      .describe(
        'The `{{warnings}}` segment marks a budget of the session (Synapse project/agent, fleet key/project/agent) once this share of its limit is spent, e.g. `⚠ budget 85%: project web daily $4.25/$5.00` (default 80).',
      ),
  });

  /**
   * Fallback chains. Keys are routing scenarios (CCR: `default`, `background`, `think`, …) or a
   * `provider,model` target (Conduit: alternatives for that target, whatever routed to it). Values
   * are ordered `provider,model` lists. A target's own list is tried before its scenario's list.
   */
  const fallbackConfigSchema = z
    .record(z.string(), z.array(z.string().min(1)))
    .describe(
      'Fallback chains: keys are scenarios (`default`, `background`, `think`, `longContext`, `webSearch`, `image`) or a `provider,model` target; values are ordered `provider,model` lists.',
    );

  const customTransformerSchema = z.looseObject({
    path: z
      .string()
      .min(1)
      .describe(
        'The module file: absolute or `~/…` (a relative path resolves against the working directory).',
      ),
    options: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("Passed to the module's constructor (`new Transformer(options)`)."),
  });

  const conduitConfigSchema = z.looseObject({
    /** Name of a built-in or file preset merged under this config (e.g. `synapse`). */
    preset: z
      .string()
      .optional()
      .describe('Name of a built-in preset merged under this config (e.g. `synapse`).'),
    presetConfig: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Accepted for CCR v2 presets; not read by Conduit.'),
    Providers: z
      .array(providerConfigSchema)
      .default([])
      .describe('The upstream providers (CCR `Providers`; `providers` is accepted too).'),
    Router: routerConfigSchema
      .default(() => routerConfigSchema.parse({}))
      .describe('Routing: one `provider,model` per scenario, plus custom rules.'),
    APIKEY: z
      .string()
      .optional()
      .describe(
        'Shared secret clients send as `x-api-key` or `Authorization: Bearer`; required to listen on a non-loopback address.',
      ),
    HOST: z.string().optional().describe('CCR listen address (`server.host` wins).'),
    PORT: z
      .number()
      .int()
      .min(0)
      .max(65535)
      .optional()
      .describe('CCR listen port (`server.port` wins).'),
    LOG: z
      .boolean()
      .optional()
      .describe(
        "`false` turns the gateway's logs off under `conduit start` (warnings still reach the terminal).",
      ),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .optional()
      .describe('Log level of the CLI gateway (default `info`).'),
    API_TIMEOUT_MS: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        'Total upstream timeout per request (ms), and the `API_TIMEOUT_MS` `conduit code` gives Claude Code.',
      ),
    PROXY_URL: z
      .string()
      .optional()
      .describe(
        'HTTP(S) proxy for every provider call (else the `PROXY_URL` environment variable).',
      ),
    NON_INTERACTIVE_MODE: z
      .boolean()
      .optional()
      .describe('`conduit code` runs Claude Code for CI: `CI=true`, no colors, stdin closed.'),
    CLAUDE_PATH: z
      .string()
      .optional()
      .describe(
        'The `claude` binary `conduit code` runs (the `CLAUDE_PATH` environment variable wins).',
      ),
    CUSTOM_ROUTER_PATH: z
      .string()
      .optional()
      .describe(
        'CCR custom router script (`async (req, config, { event }) => "provider,model" | null`), run before every other rule.',
      ),
    REWRITE_SYSTEM_PROMPT: z
      .string()
      .optional()
      .describe('Accepted for CCR configs; Conduit does not rewrite the system prompt.'),
    forceUseImageAgent: z
      .boolean()
      .optional()
      .describe(
        'Accepted for CCR configs; Conduit has no image agent (images route to `Router.image`).',
      ),
    transformers: z
      .array(customTransformerSchema)
      .default([])
      .describe(
        'CCR custom transformer modules (CommonJS classes); their `name` can be used in `transformer.use` and overrides a built-in of that name.',
      ),
    fallback: fallbackConfigSchema.optional(),
    plugins: z
      .array(pluginConfigSchema)
      .default([])
      .describe('Plugins, loaded and run in this order (see `@conduit/plugins`).'),
    server: serverConfigSchema
      .default(() => serverConfigSchema.parse({}))
      .describe('Conduit: the HTTP server.'),
    resilience: resilienceConfigSchema
      .default(() => resilienceConfigSchema.parse({}))
      .describe('Conduit: retries, circuit breakers, timeouts and key pools.'),
    usage: usageConfigSchema
      .default(() => usageConfigSchema.parse({}))
      .describe('Conduit: the usage and cost ledger.'),
    statusLine: statusLineConfigSchema
      .optional()
      .describe(
        "Conduit: what `conduit statusline` prints in Claude Code's status line (CCR's `StatusLine` modules are read when enabled and no `format` is set).",
      ),
    /** Virtual keys, rate limits, budgets and shared state (see `@conduit/fleet`). */
    fleet: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'Fleet settings: virtual keys, rate limits and budgets, Redis for state shared by many instances (see docs/scaling.md).',
      ),
    /** Synapse integration settings (see `@conduit/synapse`). */
    synapse: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'Synapse integration settings: agent mapping, per-project and per-agent models, budgets.',
      ),
  });

  return {
    transformerUseSchema,
    modelTransformerSchema,
    providerTransformerSchema,
    providerConfigSchema,
    ruleConditionSchema,
    routingRuleSchema,
    routerConfigSchema,
    pluginConfigSchema,
    serverConfigSchema,
    resilienceConfigSchema,
    modelPriceSchema,
    usageConfigSchema,
    statusLineConfigSchema,
    fallbackConfigSchema,
    customTransformerSchema,
    conduitConfigSchema,
  };
}
