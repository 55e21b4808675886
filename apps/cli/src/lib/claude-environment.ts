/**
 * The environment that points Claude Code (or any Anthropic SDK) at Conduit: used by `conduit code`
 * to launch `claude` and by `conduit activate` to print `export` lines.
 * @module
 */
import { type ParsedConduitConfig, ConduitError } from '@conduit/conduit';
import { mergeSynapseCustomHeaders, synapseHeadersFromEnv } from '@conduit/conduit';
import { CLIError } from './cli-error.js';
import { exitCodes } from './exit-codes.js';

/**
 * Model name Claude Code uses for its background ("small/fast") requests when Conduit launches it.
 * It contains `claude` and `haiku`, so core's background rule routes it to `Router.background`.
 */
export const backgroundModelMarker = 'claude-haiku-conduit-background';

/** Default client timeout given to Claude Code, as CCR does. */
export const defaultAPITimeoutMs = 600_000;

/** Variables that would send Claude Code somewhere other than Conduit. */
const bypassVariables = ['ANTHROPIC_API_KEY', 'CLAUDE_CODE_USE_BEDROCK', 'CLAUDE_CODE_USE_VERTEX'];

export interface ClaudeEnvironmentOptions {
  config: Pick<
    ParsedConduitConfig,
    'APIKEY' | 'API_TIMEOUT_MS' | 'NON_INTERACTIVE_MODE' | 'Router'
  > &
    Partial<Pick<ParsedConduitConfig, 'Providers'>>;
  /**
   * Remove the variables holding the config's keys (see {@link keyEnvironmentVariables}): for a
   * child process (`conduit code`), not for `conduit activate`, which would unset them in the shell.
   */
  dropKeyVariables?: boolean;
  /** Base URL of the running Conduit, e.g. `http://127.0.0.1:3456`. */
  baseURL: string;
  /** The environment the variables are derived from (SYNAPSE_*, existing NO_PROXY, …). */
  baseEnv: NodeJS.ProcessEnv;
}

/** Variables to set and variables to remove. */
export interface EnvironmentChanges {
  set: Record<string, string>;
  unset: string[];
}

/** `true` when `NON_INTERACTIVE_MODE` is on in the config or the environment. */
export function isNonInteractive(
  config: Pick<ParsedConduitConfig, 'NON_INTERACTIVE_MODE'>,
  env: NodeJS.ProcessEnv,
): boolean {
  const fromEnv = env.NON_INTERACTIVE_MODE?.toLowerCase();
  return config.NON_INTERACTIVE_MODE === true || fromEnv === 'true' || fromEnv === '1';
}

function appendNoProxy(existing: string | undefined): string {
  const entries = (existing ?? '')
    .split(',')
    .map(entry => entry.trim())
    .filter(Boolean);
  for (const host of ['127.0.0.1', 'localhost', '::1'])
    if (!entries.includes(host)) entries.push(host);
  return entries.join(',');
}

/**
 * `ANTHROPIC_CUSTOM_HEADERS` carrying the Synapse context of `SYNAPSE_*` (`@conduit/synapse`'s
 * `mergeSynapseCustomHeaders`: every variable validated, the user's own custom headers kept,
 * Synapse's winning a clash); `undefined` when no `SYNAPSE_*` is set, so the user's own value is
 * left exactly as it is.
 * @throws CLIError (usage) naming a malformed variable, or a value Claude Code could not send.
 */
export function buildCustomHeaders(env: NodeJS.ProcessEnv): string | undefined {
  try {
    if (Object.keys(synapseHeadersFromEnv(env)).length === 0) return undefined;
    return mergeSynapseCustomHeaders(env);
  } catch (error) {
    if (!ConduitError.isInstance(error)) throw error;
    throw new CLIError({
      message: `${error.message} (SYNAPSE_* variables are sent to Conduit as x-synapse-* headers; fix or unset it)`,
      exitCode: exitCodes.usage,
      cause: error,
    });
  }
}

/** The variables that route Claude Code through Conduit, derived from the config and environment. */
export function buildClaudeEnvironmentChanges(
  options: ClaudeEnvironmentOptions,
): EnvironmentChanges {
  const { config, baseEnv } = options;
  const set: Record<string, string> = {
    ANTHROPIC_BASE_URL: options.baseURL,
    ANTHROPIC_AUTH_TOKEN: config.APIKEY || 'conduit',
    API_TIMEOUT_MS: String(config.API_TIMEOUT_MS ?? defaultAPITimeoutMs),
    NO_PROXY: appendNoProxy(baseEnv.NO_PROXY ?? baseEnv.no_proxy),
    DISABLE_TELEMETRY: '1',
    DISABLE_COST_WARNINGS: '1',
    // Without it Claude Code also calls api.anthropic.com directly with the configured key.
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  };
  if (config.Router.background && !baseEnv.ANTHROPIC_DEFAULT_HAIKU_MODEL) {
    set.ANTHROPIC_DEFAULT_HAIKU_MODEL = backgroundModelMarker;
  }
  const customHeaders = buildCustomHeaders(baseEnv);
  if (customHeaders !== undefined) set.ANTHROPIC_CUSTOM_HEADERS = customHeaders;
  if (isNonInteractive(config, baseEnv)) {
    Object.assign(set, { CI: 'true', FORCE_COLOR: '0', NODE_NO_READLINE: '1', TERM: 'dumb' });
  }
  const keyVariables = options.dropKeyVariables
    ? keyEnvironmentVariables(config, baseEnv).filter(name => !(name in set))
    : [];
  return { set, unset: [...bypassVariables, ...keyVariables] };
}

/** Set to `1` to let Claude Code (and every command its Bash tool runs) see the provider keys. */
export const keepKeysVariable = 'CONDUIT_CODE_KEEP_KEYS';

/**
 * The environment variables that hold a key the config uses (a provider's `api_key`/`api_keys`,
 * a `headers` value, `APIKEY`): Claude Code talks to Conduit with `ANTHROPIC_AUTH_TOKEN` and needs
 * none of them, while every Bash tool call it makes would inherit them. Empty when
 * `CONDUIT_CODE_KEEP_KEYS=1`.
 */
export function keyEnvironmentVariables(
  config: Pick<ParsedConduitConfig, 'APIKEY'> & Partial<Pick<ParsedConduitConfig, 'Providers'>>,
  env: NodeJS.ProcessEnv,
): string[] {
  if (env[keepKeysVariable] === '1' || env[keepKeysVariable] === 'true') return [];
  const secrets = new Set<string>();
  const add = (value: string | undefined) => {
    const trimmed = value?.trim();
    if (trimmed) secrets.add(trimmed);
  };
  add(config.APIKEY);
  for (const provider of config.Providers ?? []) {
    add(provider.api_key);
    for (const key of provider.api_keys ?? []) add(key);
    for (const value of Object.values(provider.headers ?? {})) {
      add(value);
      add(/^bearer\s+(.+)$/i.exec(value.trim())?.[1]);
    }
  }
  return Object.entries(env)
    .filter(([, value]) => value !== undefined && secrets.has(value.trim()))
    .map(([name]) => name);
}

/**
 * The variables that send the OpenAI SDKs and OpenAI-speaking agents (Codex CLI, Aider, LangChain,
 * …) through Conduit's OpenAI door: `OPENAI_BASE_URL` (with `/v1`, as the SDKs expect) and the
 * Conduit key as `OPENAI_API_KEY` (the SDKs refuse to start without one, so `conduit` stands in
 * when no `APIKEY` is set). `OPENAI_API_BASE` is the older spelling some tools still read.
 */
export function buildOpenAIEnvironmentChanges(options: {
  config: Pick<ParsedConduitConfig, 'APIKEY'>;
  baseURL: string;
  baseEnv: NodeJS.ProcessEnv;
}): EnvironmentChanges {
  const baseURL = `${options.baseURL.replace(/\/+$/, '')}/v1`;
  return {
    set: {
      OPENAI_BASE_URL: baseURL,
      OPENAI_API_BASE: baseURL,
      OPENAI_API_KEY: options.config.APIKEY || 'conduit',
      NO_PROXY: appendNoProxy(options.baseEnv.NO_PROXY ?? options.baseEnv.no_proxy),
    },
    unset: ['OPENAI_ORG_ID', 'OPENAI_PROJECT_ID'],
  };
}

/** Applies {@link EnvironmentChanges} to a copy of `baseEnv`. */
export function applyEnvironmentChanges(
  baseEnv: NodeJS.ProcessEnv,
  changes: EnvironmentChanges,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...baseEnv, ...changes.set };
  for (const name of changes.unset) delete env[name];
  if ('no_proxy' in env && changes.set.NO_PROXY) env.no_proxy = changes.set.NO_PROXY;
  return env;
}
