import { describe, expect, it } from '@jest/globals';
import {
  applyEnvironmentChanges,
  backgroundModelMarker,
  buildClaudeEnvironmentChanges,
  buildCustomHeaders,
} from './claude-environment.js';
import { CLIError } from './cli-error.js';
import { exitCodes } from './exit-codes.js';
import { formatShellExports } from './shell-exports.js';

const baseURL = 'http://127.0.0.1:4567';
const router = { longContextThreshold: 60000, customRules: [], thinkOnAdaptive: false };

describe('buildClaudeEnvironmentChanges', () => {
  const keyedConfig = {
    APIKEY: 'inbound-key',
    Router: router,
    Providers: [
      {
        name: 'deepseek',
        api_base_url: 'https://api.deepseek.com/chat/completions',
        api_key: 'sk-deepseek-resolved',
        api_keys: ['sk-pool-second'],
        headers: { Authorization: 'Bearer org-token' },
        models: ['deepseek-chat'],
      },
    ],
  } as never;
  const shellEnv = {
    DEEPSEEK_API_KEY: 'sk-deepseek-resolved',
    SECOND_KEY: 'sk-pool-second',
    ORG_TOKEN: 'org-token',
    CONDUIT_APIKEY: 'inbound-key',
    PATH: '/bin',
    HOME: '/home/me',
  };

  it('drops, for conduit code, every variable holding a key the config uses', () => {
    const changes = buildClaudeEnvironmentChanges({
      config: keyedConfig,
      baseURL,
      baseEnv: shellEnv,
      dropKeyVariables: true,
    });
    const env = applyEnvironmentChanges(shellEnv, changes);
    expect(env.DEEPSEEK_API_KEY).toBeUndefined();
    expect(env.SECOND_KEY).toBeUndefined();
    expect(env.ORG_TOKEN).toBeUndefined();
    expect(env.CONDUIT_APIKEY).toBeUndefined();
    expect(env.ANTHROPIC_AUTH_TOKEN).toBe('inbound-key');
    expect(env.PATH).toBe('/bin');
    expect(env.HOME).toBe('/home/me');
  });

  it('keeps them with CONDUIT_CODE_KEEP_KEYS=1, and conduit activate never unsets them', () => {
    const kept = buildClaudeEnvironmentChanges({
      config: keyedConfig,
      baseURL,
      baseEnv: { ...shellEnv, CONDUIT_CODE_KEEP_KEYS: '1' },
      dropKeyVariables: true,
    });
    expect(kept.unset).not.toContain('DEEPSEEK_API_KEY');
    const activate = buildClaudeEnvironmentChanges({
      config: keyedConfig,
      baseURL,
      baseEnv: shellEnv,
    });
    expect(activate.unset).not.toContain('DEEPSEEK_API_KEY');
  });

  it('points Claude Code at Conduit and removes the vendor key', () => {
    const changes = buildClaudeEnvironmentChanges({
      config: { Router: router },
      baseURL,
      baseEnv: { ANTHROPIC_API_KEY: 'sk-ant-real', NO_PROXY: 'corp.example' },
    });
    expect(changes.set).toEqual({
      ANTHROPIC_BASE_URL: baseURL,
      ANTHROPIC_AUTH_TOKEN: 'conduit',
      API_TIMEOUT_MS: '600000',
      NO_PROXY: 'corp.example,127.0.0.1,localhost,::1',
      DISABLE_TELEMETRY: '1',
      DISABLE_COST_WARNINGS: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    });
    expect(changes.unset).toContain('ANTHROPIC_API_KEY');
    const env = applyEnvironmentChanges(
      { ANTHROPIC_API_KEY: 'sk-ant-real', PATH: '/bin' },
      changes,
    );
    expect(env.ANTHROPIC_API_KEY).toBeUndefined();
    expect(env.PATH).toBe('/bin');
  });

  it('uses APIKEY and API_TIMEOUT_MS from the config and marks background requests when Router.background is set', () => {
    const changes = buildClaudeEnvironmentChanges({
      config: {
        APIKEY: 'inbound',
        API_TIMEOUT_MS: 1234,
        Router: { ...router, background: 'local,qwen' },
      },
      baseURL,
      baseEnv: {},
    });
    expect(changes.set.ANTHROPIC_AUTH_TOKEN).toBe('inbound');
    expect(changes.set.API_TIMEOUT_MS).toBe('1234');
    expect(changes.set.ANTHROPIC_DEFAULT_HAIKU_MODEL).toBe(backgroundModelMarker);
    expect(backgroundModelMarker).toMatch(/claude/);
    expect(backgroundModelMarker).toMatch(/haiku/);
    // a user's own choice wins
    const own = buildClaudeEnvironmentChanges({
      config: { Router: { ...router, background: 'local,qwen' } },
      baseURL,
      baseEnv: { ANTHROPIC_DEFAULT_HAIKU_MODEL: 'claude-haiku-mine' },
    });
    expect(own.set.ANTHROPIC_DEFAULT_HAIKU_MODEL).toBeUndefined();
  });

  it('adds the CI variables in non-interactive mode (config or environment)', () => {
    for (const options of [
      { config: { NON_INTERACTIVE_MODE: true, Router: router }, baseEnv: {} },
      { config: { Router: router }, baseEnv: { NON_INTERACTIVE_MODE: 'true' } },
    ]) {
      const changes = buildClaudeEnvironmentChanges({ ...options, baseURL });
      expect(changes.set).toMatchObject({
        CI: 'true',
        FORCE_COLOR: '0',
        NODE_NO_READLINE: '1',
        TERM: 'dumb',
      });
    }
  });
});

describe('buildCustomHeaders', () => {
  it('forwards SYNAPSE_* as x-synapse-* lines after existing custom headers', () => {
    expect(
      buildCustomHeaders({
        ANTHROPIC_CUSTOM_HEADERS: 'x-team: blue\n',
        SYNAPSE_PROJECT_ID: 'web',
        SYNAPSE_AGENT_ID: 'agent-7',
        SYNAPSE_AGENT_TYPE: 'coding',
        SYNAPSE_COST_LIMITS: '{"daily":5}',
      }),
    ).toBe(
      'x-team: blue\nx-synapse-project-id: web\nx-synapse-agent-id: agent-7\nx-synapse-agent-type: coding\nx-synapse-cost-limits: {"daily":5}',
    );
    expect(buildCustomHeaders({ ANTHROPIC_CUSTOM_HEADERS: 'x-team: blue' })).toBeUndefined();
  });

  it('leaves the user’s own custom headers alone when no SYNAPSE_* is set', () => {
    expect(buildCustomHeaders({ ANTHROPIC_CUSTOM_HEADERS: 'x-team: blü' })).toBeUndefined();
  });

  it('lets Synapse’s header win a clash and forwards model configs on one line', () => {
    expect(
      buildCustomHeaders({
        ANTHROPIC_CUSTOM_HEADERS: 'X-Synapse-Project-Id: stale\nx-team: blue',
        SYNAPSE_PROJECT_ID: 'web',
        SYNAPSE_PROJECT_MODEL_CONFIG: '{\n "model": "mock,big" }',
      }),
    ).toBe(
      'x-team: blue\nx-synapse-project-id: web\nx-synapse-project-model-config: {"model":"mock,big"}',
    );
  });

  it.each([
    [
      'a line break (header injection)',
      { SYNAPSE_PROJECT_ID: 'web\nx-evil: 1' },
      /SYNAPSE_PROJECT_ID/,
    ],
    ['malformed JSON', { SYNAPSE_COST_LIMITS: '{"daily":' }, /SYNAPSE_COST_LIMITS/],
    ['a wrong type', { SYNAPSE_COST_LIMITS: '{"daily":"5$"}' }, /SYNAPSE_COST_LIMITS.*daily/],
    ['a value a header cannot carry', { SYNAPSE_PROJECT_ID: 'prøject' }, /x-synapse-project-id/],
  ])('refuses %s with a usage error naming the variable', (_name, env, message) => {
    let thrown: unknown;
    try {
      buildCustomHeaders(env);
    } catch (error) {
      thrown = error;
    }
    expect(CLIError.isInstance(thrown)).toBe(true);
    expect((thrown as CLIError).exitCode).toBe(exitCodes.usage);
    expect((thrown as CLIError).message).toMatch(message);
  });
});

describe('formatShellExports', () => {
  const changes = { set: { A: "it's $HOME", B: 'plain' }, unset: ['ANTHROPIC_API_KEY'] };
  it.each([
    ['posix', "export A='it'\\''s $HOME'\nexport B='plain'\nunset ANTHROPIC_API_KEY\n"],
    ['fish', "set -gx A 'it\\'s $HOME';\nset -gx B 'plain';\nset -e ANTHROPIC_API_KEY;\n"],
    [
      'powershell',
      "$env:A = 'it''s $HOME'\n$env:B = 'plain'\nRemove-Item Env:ANTHROPIC_API_KEY -ErrorAction SilentlyContinue\n",
    ],
  ] as const)('%s quotes values so nothing expands', (shell, expected) => {
    expect(formatShellExports(changes, shell)).toBe(expected);
  });
});
