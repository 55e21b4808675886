/**
 * Reads the Synapse context from the environment and from request headers.
 * @module
 */
import type { z } from 'zod';
import { SynapseContextError, type SynapseContextSource } from '../errors/synapse-context-error.js';
import type { SynapseContext } from './synapse-context.js';
import {
  agentTypeSchema,
  describeZodIssues,
  synapseCostLimitsSchema,
  synapseIdSchema,
  synapseModelConfigSchema,
} from './synapse-schemas.js';

/** Environment variable names, by context field. */
export const synapseEnvVariables = {
  projectId: 'SYNAPSE_PROJECT_ID',
  agentId: 'SYNAPSE_AGENT_ID',
  agentType: 'SYNAPSE_AGENT_TYPE',
  taskType: 'SYNAPSE_TASK_TYPE',
  projectModelConfig: 'SYNAPSE_PROJECT_MODEL_CONFIG',
  agentModelConfig: 'SYNAPSE_AGENT_MODEL_CONFIG',
  costLimits: 'SYNAPSE_COST_LIMITS',
  tokenEstimate: 'SYNAPSE_TOKEN_ESTIMATE',
} as const satisfies Record<keyof SynapseContext, string>;

/**
 * Header names, by context field (the names of the earlier Synapse fork of CCR, plus the two
 * model-config headers `conduit code` uses to forward `SYNAPSE_*_MODEL_CONFIG`).
 */
export const synapseHeaderNames = {
  projectId: 'x-synapse-project-id',
  agentId: 'x-synapse-agent-id',
  agentType: 'x-synapse-agent-type',
  taskType: 'x-synapse-task-type',
  projectModelConfig: 'x-synapse-project-model-config',
  agentModelConfig: 'x-synapse-agent-model-config',
  costLimits: 'x-synapse-cost-limits',
  tokenEstimate: 'x-synapse-token-estimate',
} as const satisfies Record<keyof SynapseContext, string>;

/** Environment variables as `process.env` holds them. */
export type EnvironmentVariables = Readonly<Record<string, string | undefined>>;

/** Request headers: a fetch `Headers`, or a record (any case; Node's arrays allowed). */
export type HeaderSource =
  | Headers
  | Readonly<Record<string, string | readonly string[] | undefined>>;

type Field = keyof SynapseContext;

const expectations: Record<Field, string> = {
  projectId: 'a project id (1-256 characters, no control characters)',
  agentId: 'an agent id (1-256 characters, no control characters)',
  agentType:
    'an agent type such as "coding", "analysis", "reasoning" or "general" (letters, digits, "-" and "_")',
  taskType: 'a task type (1-256 characters, no control characters)',
  projectModelConfig:
    'a JSON object like {"model": "provider,model"} or {"Router": {"default": "provider,model", "think": "provider,model"}}',
  agentModelConfig:
    'a JSON object like {"model": "provider,model"} or {"Router": {"default": "provider,model"}}',
  costLimits:
    'a JSON object of USD limits like {"daily": 5, "monthly": 100, "perAgent": {"daily": 1}}',
  tokenEstimate: 'a whole number of tokens, 0 or more',
};

/**
 * Reads `SYNAPSE_PROJECT_ID`, `SYNAPSE_AGENT_ID`, `SYNAPSE_AGENT_TYPE`, `SYNAPSE_TASK_TYPE`,
 * `SYNAPSE_PROJECT_MODEL_CONFIG` and `SYNAPSE_AGENT_MODEL_CONFIG` (JSON), `SYNAPSE_COST_LIMITS`
 * (JSON) and `SYNAPSE_TOKEN_ESTIMATE`. Absent or empty variables are skipped.
 * @throws SynapseContextError for a malformed value.
 */
function fromEnv(env: EnvironmentVariables = process.env): SynapseContext {
  return extract('env', field => {
    const value = env[synapseEnvVariables[field]];
    return value === undefined ? [] : [value];
  });
}

/**
 * Reads the `x-synapse-*` headers (case-insensitive). A header sent twice with different values
 * is malformed.
 * @throws SynapseContextError for a malformed value.
 */
function fromHeaders(headers: HeaderSource): SynapseContext {
  const lookup = headerLookup(headers);
  return extract('header', field => lookup(synapseHeaderNames[field]));
}

/**
 * Combines two contexts field by field; `override` wins. Model configs and cost limits are
 * replaced as a whole, not merged key by key. In server mode the server's environment is the
 * base and the request headers override it; budgets from either can only tighten
 * `synapse.budgets`.
 */
function merge(base: SynapseContext, override: SynapseContext): SynapseContext {
  const merged: SynapseContext = { ...base };
  for (const [key, value] of Object.entries(override) as [Field, unknown][]) {
    if (value !== undefined) (merged as Record<Field, unknown>)[key] = value;
  }
  return merged;
}

/**
 * Extracts a {@link SynapseContext} from `SYNAPSE_*` environment variables (`fromEnv`) or
 * `x-synapse-*` headers (`fromHeaders`), and combines two (`merge`). Malformed values throw a
 * {@link SynapseContextError} naming the variable or header and what was expected.
 *
 * @example
 * const fromEnv = ContextExtractor.fromEnv(process.env);
 * const fromHeaders = ContextExtractor.fromHeaders(request.headers);
 * const context = ContextExtractor.merge(fromEnv, fromHeaders); // headers win
 *
 * // The seed plan's instance form:
 * const extractor = new ContextExtractor();
 * const { projectId, agentType } = extractor.extractFromEnvironment(process.env);
 */
export class ContextExtractor {
  static readonly fromEnv = fromEnv;
  static readonly fromHeaders = fromHeaders;
  static readonly merge = merge;

  /** The seed plan's name for {@link ContextExtractor.fromEnv}. */
  extractFromEnvironment(env: EnvironmentVariables = process.env): SynapseContext {
    return fromEnv(env);
  }

  /** Instance form of {@link ContextExtractor.fromHeaders}. */
  extractFromHeaders(headers: HeaderSource): SynapseContext {
    return fromHeaders(headers);
  }
}

function extract(
  source: SynapseContextSource,
  read: (field: Field) => readonly string[],
): SynapseContext {
  const context: SynapseContext = {};
  const set = <K extends Field>(field: K, value: SynapseContext[K]) => {
    context[field] = value;
  };
  for (const field of Object.keys(expectations) as Field[]) {
    const raw = single(source, field, read(field));
    if (raw === undefined) continue;
    switch (field) {
      case 'projectId':
      case 'agentId':
      case 'taskType':
        set(field, parseWith(source, field, raw, synapseIdSchema));
        break;
      case 'agentType':
        set(field, parseWith(source, field, raw, agentTypeSchema));
        break;
      case 'projectModelConfig':
      case 'agentModelConfig':
        set(
          field,
          parseWith(source, field, parseJSON(source, field, raw), synapseModelConfigSchema),
        );
        break;
      case 'costLimits':
        set(
          field,
          parseWith(source, field, parseJSON(source, field, raw), synapseCostLimitsSchema),
        );
        break;
      case 'tokenEstimate':
        set(field, parseTokenEstimate(source, raw));
        break;
    }
  }
  return context;
}

function keyOf(source: SynapseContextSource, field: Field): string {
  return source === 'env' ? synapseEnvVariables[field] : synapseHeaderNames[field];
}

function describeKey(source: SynapseContextSource, field: Field): string {
  return source === 'env'
    ? `Environment variable ${synapseEnvVariables[field]}`
    : `Header ${synapseHeaderNames[field]}`;
}

function fail(source: SynapseContextSource, field: Field, problem: string): never {
  throw new SynapseContextError({
    source,
    key: keyOf(source, field),
    message: `${describeKey(source, field)} ${problem}; expected ${expectations[field]}.`,
  });
}

/** Empty values count as absent (shells export empty variables); repeated values must agree. */
function single(
  source: SynapseContextSource,
  field: Field,
  values: readonly string[],
): string | undefined {
  const present = values.map(value => value.trim()).filter(value => value !== '');
  if (present.length === 0) return undefined;
  if (new Set(present).size > 1)
    fail(source, field, `was sent ${present.length} times with different values`);
  return present[0];
}

function parseJSON(source: SynapseContextSource, field: Field, raw: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    // V8 quotes a snippet of the input after `, "`: cut it, the value may be sensitive.
    const reason = (error instanceof Error ? error.message : String(error)).replace(
      /,\s*(?:\.\.\.)?".*$/s,
      '',
    );
    fail(source, field, `is not valid JSON (${reason})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(
      source,
      field,
      `is JSON ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}, not an object`,
    );
  }
  return value;
}

function parseWith<T extends z.ZodType>(
  source: SynapseContextSource,
  field: Field,
  value: unknown,
  schema: T,
): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) fail(source, field, `is invalid (${describeZodIssues(parsed.error)})`);
  return parsed.data;
}

function parseTokenEstimate(source: SynapseContextSource, raw: string): number {
  if (!/^\d{1,15}$/.test(raw)) fail(source, 'tokenEstimate', `is ${JSON.stringify(truncate(raw))}`);
  return Number(raw);
}

function truncate(value: string): string {
  return value.length > 40 ? `${value.slice(0, 37)}...` : value;
}

function headerLookup(headers: HeaderSource): (name: string) => readonly string[] {
  if (typeof Headers !== 'undefined' && headers instanceof Headers) {
    return name => {
      const value = headers.get(name);
      // fetch Headers joins repeats with ", "; JSON values contain commas, so keep it whole.
      return value === null ? [] : [value];
    };
  }
  const byLowerName = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (value === undefined) continue;
    const list = byLowerName.get(name.toLowerCase()) ?? [];
    if (Array.isArray(value)) list.push(...value.map(String));
    else list.push(String(value));
    byLowerName.set(name.toLowerCase(), list);
  }
  return name => byLowerName.get(name) ?? [];
}
