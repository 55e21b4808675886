import type { ParsedConduitConfig } from './config-schema.js';

/**
 * `conduitConfigSchema.safeParse(config).data` without zod, for valid configs: the same checks and
 * the same result, key order included (zod's objects are copies with the schema's keys first, in
 * schema order, then, for loose objects, the others as given; defaults fill missing keys). Returns
 * undefined whenever the config breaks a rule or has a shape it does not vouch for (a class
 * instance, an own `__proto__` or symbol key, an `undefined` record value); the caller then asks
 * zod, whose answer and error messages are the reference. A parity test holds the two to the same
 * output on fixtures and generated configs; a change to `config-schema-definitions.ts` must be
 * made here too.
 *
 * Why: importing zod costs a process about 12 MB, and a library user with a valid config never
 * needs it (issue 20's memory budget for the library).
 */
export function parseConfigFast(config: unknown): ParsedConduitConfig | undefined {
  const result = conduitConfig(config);
  return result === invalid ? undefined : (result as ParsedConduitConfig);
}

/** The answer of a check that fails: the value is left to zod. */
const invalid: unique symbol = Symbol('invalid');
type Check = (value: unknown) => unknown;

type Field =
  | { kind: 'required'; check: Check }
  | { kind: 'optional'; check: Check }
  | { kind: 'default'; check: Check; fallback: () => unknown };

type PlainRecord = Record<string, unknown>;

function isPlainRecord(value: unknown): value is PlainRecord {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return (
    (prototype === Object.prototype || prototype === null) &&
    !Object.hasOwn(value, '__proto__') &&
    Object.getOwnPropertySymbols(value).length === 0
  );
}

const required = (check: Check): Field => ({ kind: 'required', check });
const optional = (check: Check): Field => ({ kind: 'optional', check });
/** zod's `.default(value)`: a missing value becomes a shallow copy of `value`, unchecked. */
const withDefault = (check: Check, value: unknown): Field => ({
  kind: 'default',
  check,
  fallback: () => (Array.isArray(value) ? [...value] : isPlainRecord(value) ? { ...value } : value),
});
/** zod's `.default(() => value)`: the function is called for each missing value. */
const withDefaultOf = (check: Check, create: () => unknown): Field => ({
  kind: 'default',
  check,
  fallback: create,
});

/** `z.object` (`loose: false`, unknown keys dropped) or `z.looseObject` (unknown keys kept). */
function object(shape: Record<string, Field>, loose: boolean): Check {
  const keys = Object.keys(shape);
  const known = new Set(keys);
  return value => {
    if (!isPlainRecord(value)) return invalid;
    const out: PlainRecord = {};
    for (const key of keys) {
      const field = shape[key] as Field;
      const member = value[key];
      if (member === undefined) {
        if (field.kind === 'required') return invalid;
        if (field.kind === 'default') out[key] = field.fallback();
        else if (key in value) out[key] = undefined;
        continue;
      }
      const checked = field.check(member);
      if (checked === invalid) return invalid;
      out[key] = checked;
    }
    if (loose) {
      for (const key in value) if (!known.has(key)) out[key] = value[key];
    }
    return out;
  };
}

function array(item: Check): Check {
  return value => {
    if (!Array.isArray(value)) return invalid;
    const out: unknown[] = [];
    for (const element of value) {
      const checked = item(element);
      if (checked === invalid) return invalid;
      out.push(checked);
    }
    return out;
  };
}

/** `z.record(z.string(), item)`. */
function record(item: Check): Check {
  return value => {
    if (!isPlainRecord(value)) return invalid;
    const out: PlainRecord = {};
    for (const key of Object.getOwnPropertyNames(value)) {
      const member = value[key];
      if (member === undefined) return invalid;
      const checked = item(member);
      if (checked === invalid) return invalid;
      out[key] = checked;
    }
    return out;
  };
}

/** The first alternative that accepts the value, as zod's `z.union`. */
function union(...alternatives: Check[]): Check {
  return value => {
    for (const alternative of alternatives) {
      const checked = alternative(value);
      if (checked !== invalid) return checked;
    }
    return invalid;
  };
}

const unknownValue: Check = value => value;
const boolean: Check = value => (typeof value === 'boolean' ? value : invalid);
const string: Check = value => (typeof value === 'string' ? value : invalid);
const nonEmptyString: Check = value =>
  typeof value === 'string' && value.length >= 1 ? value : invalid;
const oneOf =
  (...options: string[]): Check =>
  value =>
    typeof value === 'string' && options.includes(value) ? value : invalid;

/** `z.number()` (finite) with `.int()` (a safe integer) and inclusive bounds. */
function number(rules: { int?: boolean; min?: number; above?: number; max?: number } = {}): Check {
  return value => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return invalid;
    if (rules.int && !Number.isSafeInteger(value)) return invalid;
    if (rules.min !== undefined && value < rules.min) return invalid;
    if (rules.above !== undefined && value <= rules.above) return invalid;
    if (rules.max !== undefined && value > rules.max) return invalid;
    return value;
  };
}

const positiveInt = number({ int: true, above: 0 });
const port = number({ int: true, min: 0, max: 65535 });
const nonNegative = number({ min: 0 });
const unknownRecord = record(unknownValue);

const transformerUse = union(nonEmptyString, value =>
  Array.isArray(value) && value.length === 2
    ? ((name, options) => (name === invalid || options === invalid ? invalid : [name, options]))(
        nonEmptyString(value[0]),
        unknownRecord(value[1]),
      )
    : invalid,
);
const transformerList = optional(array(transformerUse));
const modelTransformer = object({ use: transformerList }, true);
const providerTransformerObject = object({ use: transformerList }, true);

/** `use` for every model, and `"<model>": { use }` entries (kept as given once they check). */
const providerTransformer: Check = value => {
  const out = providerTransformerObject(value);
  if (out === invalid) return invalid;
  for (const [model, entry] of Object.entries(out as PlainRecord)) {
    if (model !== 'use' && modelTransformer(entry) === invalid) return invalid;
  }
  return out;
};

const providerConfig = object(
  {
    name: required(nonEmptyString),
    api_base_url: required(nonEmptyString),
    api_key: optional(string),
    api_keys: optional(array(nonEmptyString)),
    models: withDefault(array(nonEmptyString), []),
    transformer: optional(providerTransformer),
    headers: optional(record(string)),
    tokenizer: optional(unknownValue),
    timeouts: optional(
      object(
        {
          connectMs: optional(positiveInt),
          firstByteMs: optional(positiveInt),
          idleMs: optional(positiveInt),
          totalMs: optional(positiveInt),
        },
        false,
      ),
    ),
  },
  true,
);

const ruleCondition = object(
  {
    field: required(nonEmptyString),
    operator: required(oneOf('gt', 'lt', 'gte', 'lte', 'eq', 'neq', 'contains', 'matches')),
    value: required(union(string, number(), boolean)),
  },
  false,
);

const ruleObject = object(
  {
    id: optional(nonEmptyString),
    name: optional(nonEmptyString),
    route: optional(nonEmptyString),
    target: optional(nonEmptyString),
    conditions: withDefault(array(ruleCondition), []),
    priority: withDefault(number(), 0),
    enabled: withDefault(boolean, true),
    match: withDefault(oneOf('all', 'any'), 'all'),
  },
  false,
);

/** The rule's refinement (a name or id, a route or target that agree) and its transform. */
const routingRule: Check = value => {
  const rule = ruleObject(value);
  if (rule === invalid) return invalid;
  const { id, name, route, target } = rule as PlainRecord;
  if (name === undefined && id === undefined) return invalid;
  if (route === undefined && target === undefined) return invalid;
  if (route !== undefined && target !== undefined && route !== target) return invalid;
  return { ...(rule as PlainRecord), name: name ?? id, route: route ?? target };
};

const routerConfig = object(
  {
    default: optional(string),
    background: optional(string),
    think: optional(string),
    longContext: optional(string),
    longContextThreshold: withDefault(positiveInt, 60000),
    webSearch: optional(string),
    image: optional(string),
    customRules: withDefault(array(routingRule), []),
    thinkOnAdaptive: withDefault(boolean, false),
  },
  true,
);

const pluginConfig = object(
  {
    name: required(nonEmptyString),
    enabled: withDefault(boolean, true),
    config: optional(unknownRecord),
    options: optional(unknownRecord),
    source: optional(oneOf('file', 'npm', 'inline', 'builtin')),
    path: optional(string),
    module: optional(unknownValue),
  },
  true,
);

/** `true`/`false` (`{ enabled }` with the other defaults) or the object itself. */
function booleanOrObject(shape: Check): Check {
  return value => (typeof value === 'boolean' ? shape({ enabled: value }) : shape(value));
}

const serverConfig = object(
  {
    port: optional(port),
    host: optional(string),
    cors: withDefault(union(boolean, array(string)), false),
    healthCheck: withDefault(
      booleanOrObject(
        object(
          {
            enabled: withDefault(boolean, true),
            intervalMs: withDefault(positiveInt, 30000),
          },
          false,
        ),
      ),
      { enabled: true, intervalMs: 30000 },
    ),
    gracefulShutdown: withDefault(
      booleanOrObject(
        object(
          {
            enabled: withDefault(boolean, true),
            timeoutMs: withDefault(positiveInt, 30000),
          },
          false,
        ),
      ),
      { enabled: true, timeoutMs: 30000 },
    ),
    timeout: optional(positiveInt),
    bodyLimit: withDefault(positiveInt, 32 * 1024 * 1024),
  },
  true,
);

const resilienceConfig = object(
  {
    retry: withDefault(
      object(
        {
          maxAttempts: withDefault(number({ int: true, min: 1, max: 10 }), 3),
          baseDelayMs: withDefault(number({ int: true, min: 0 }), 250),
          maxDelayMs: withDefault(positiveInt, 8000),
        },
        false,
      ),
      { maxAttempts: 3, baseDelayMs: 250, maxDelayMs: 8000 },
    ),
    circuitBreaker: withDefault(
      object(
        {
          enabled: withDefault(boolean, true),
          failureThreshold: withDefault(number({ int: true, min: 1 }), 5),
          cooldownMs: withDefault(positiveInt, 30000),
        },
        false,
      ),
      { enabled: true, failureThreshold: 5, cooldownMs: 30000 },
    ),
    timeouts: withDefault(
      object(
        {
          connectMs: withDefault(positiveInt, 10000),
          firstByteMs: withDefault(positiveInt, 120000),
          idleMs: withDefault(positiveInt, 120000),
          totalMs: withDefault(positiveInt, 600000),
        },
        false,
      ),
      { connectMs: 10000, firstByteMs: 120000, idleMs: 120000, totalMs: 600000 },
    ),
    keyCooldownMs: withDefault(positiveInt, 60000),
    allKeysCooling: withDefault(oneOf('use-soonest', 'fail'), 'use-soonest'),
  },
  true,
);

const modelPrice = object(
  {
    input: required(nonNegative),
    output: required(nonNegative),
    cacheRead: optional(nonNegative),
    cacheWrite: optional(nonNegative),
  },
  false,
);

const usageConfig = object(
  {
    enabled: withDefault(boolean, true),
    storage: optional(string),
    pricing: optional(record(modelPrice)),
    batchSize: withDefault(positiveInt, 100),
    flushIntervalMs: withDefault(positiveInt, 1000),
    maxQueueSize: withDefault(positiveInt, 10000),
  },
  true,
);

const statusLineConfig = object(
  {
    format: optional(string),
    offlineFormat: optional(string),
    timeoutMs: optional(positiveInt),
    budgetWarningPercent: optional(number({ above: 0 })),
  },
  true,
);

const customTransformer = object(
  { path: required(nonEmptyString), options: optional(unknownRecord) },
  true,
);

const conduitConfig = object(
  {
    preset: optional(string),
    presetConfig: optional(unknownRecord),
    Providers: withDefault(array(providerConfig), []),
    Router: withDefaultOf(routerConfig, () => routerConfig({})),
    APIKEY: optional(string),
    HOST: optional(string),
    PORT: optional(port),
    LOG: optional(boolean),
    LOG_LEVEL: optional(oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent')),
    API_TIMEOUT_MS: optional(positiveInt),
    PROXY_URL: optional(string),
    NON_INTERACTIVE_MODE: optional(boolean),
    CLAUDE_PATH: optional(string),
    CUSTOM_ROUTER_PATH: optional(string),
    REWRITE_SYSTEM_PROMPT: optional(string),
    forceUseImageAgent: optional(boolean),
    transformers: withDefault(array(customTransformer), []),
    fallback: optional(record(array(nonEmptyString))),
    plugins: withDefault(array(pluginConfig), []),
    server: withDefaultOf(serverConfig, () => serverConfig({})),
    resilience: withDefaultOf(resilienceConfig, () => resilienceConfig({})),
    usage: withDefaultOf(usageConfig, () => usageConfig({})),
    statusLine: optional(statusLineConfig),
    fleet: optional(unknownRecord),
    synapse: optional(unknownRecord),
  },
  true,
);
