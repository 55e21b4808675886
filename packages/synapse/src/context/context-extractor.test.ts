import { describe, expect, it } from '@jest/globals';
import { PluginRejectionError } from '@conduit/core';
import { SynapseContextError } from '../errors/synapse-context-error.js';
import { ContextExtractor } from './context-extractor.js';

function captureError(run: () => unknown): SynapseContextError {
  try {
    run();
  } catch (error) {
    if (SynapseContextError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a SynapseContextError');
}

describe('ContextExtractor.fromEnv', () => {
  it('reads every SYNAPSE_* variable', () => {
    const context = ContextExtractor.fromEnv({
      SYNAPSE_PROJECT_ID: ' web-app ',
      SYNAPSE_AGENT_ID: 'coder-7',
      SYNAPSE_AGENT_TYPE: 'Reasoning',
      SYNAPSE_TASK_TYPE: 'refactor',
      SYNAPSE_PROJECT_MODEL_CONFIG:
        '{"Router":{"default":"deepseek,deepseek-chat","think":"deepseek,deepseek-reasoner"}}',
      SYNAPSE_AGENT_MODEL_CONFIG: '{"model":"anthropic,claude-sonnet-4-5"}',
      SYNAPSE_COST_LIMITS: '{"daily":5,"monthly":100,"perAgent":{"daily":1.5}}',
      SYNAPSE_TOKEN_ESTIMATE: '1200',
      UNRELATED: 'x',
    });
    expect(context).toEqual({
      projectId: 'web-app',
      agentId: 'coder-7',
      agentType: 'reasoning',
      taskType: 'refactor',
      projectModelConfig: {
        Router: { default: 'deepseek,deepseek-chat', think: 'deepseek,deepseek-reasoner' },
      },
      agentModelConfig: { model: 'anthropic,claude-sonnet-4-5' },
      costLimits: { daily: 5, monthly: 100, perAgent: { daily: 1.5 } },
      tokenEstimate: 1200,
    });
  });

  it('treats absent and empty variables as unset', () => {
    expect(ContextExtractor.fromEnv({})).toEqual({});
    expect(ContextExtractor.fromEnv({ SYNAPSE_PROJECT_ID: '', SYNAPSE_COST_LIMITS: '  ' })).toEqual(
      {},
    );
  });

  it.each([
    [
      'SYNAPSE_PROJECT_ID',
      'a\u0007b',
      /SYNAPSE_PROJECT_ID is invalid \(must not contain control characters\); expected a project id/,
    ],
    [
      'SYNAPSE_PROJECT_ID',
      'x'.repeat(257),
      /SYNAPSE_PROJECT_ID is invalid \(must be at most 256 characters\)/,
    ],
    ['SYNAPSE_AGENT_ID', 'tab\there', /SYNAPSE_AGENT_ID is invalid .*control characters/],
    [
      'SYNAPSE_AGENT_TYPE',
      'code review',
      /SYNAPSE_AGENT_TYPE is invalid .*expected an agent type such as "coding"/,
    ],
    ['SYNAPSE_AGENT_TYPE', '9lives', /SYNAPSE_AGENT_TYPE is invalid/],
    [
      'SYNAPSE_TASK_TYPE',
      'x'.repeat(300),
      /SYNAPSE_TASK_TYPE is invalid \(must be at most 256 characters\)/,
    ],
    [
      'SYNAPSE_COST_LIMITS',
      '{daily: 5}',
      /SYNAPSE_COST_LIMITS is not valid JSON \(.+\); expected a JSON object of USD limits/,
    ],
    ['SYNAPSE_COST_LIMITS', '[5]', /SYNAPSE_COST_LIMITS is JSON array, not an object/],
    ['SYNAPSE_COST_LIMITS', '5', /SYNAPSE_COST_LIMITS is JSON number, not an object/],
    ['SYNAPSE_COST_LIMITS', 'null', /SYNAPSE_COST_LIMITS is JSON null, not an object/],
    [
      'SYNAPSE_COST_LIMITS',
      '{"daily":"5"}',
      /SYNAPSE_COST_LIMITS is invalid \(daily: must be a number of US dollars\)/,
    ],
    [
      'SYNAPSE_COST_LIMITS',
      '{"daily":-1}',
      /SYNAPSE_COST_LIMITS is invalid \(daily: must be 0 or more US dollars\)/,
    ],
    [
      'SYNAPSE_COST_LIMITS',
      '{"weekly":3}',
      /SYNAPSE_COST_LIMITS is invalid \(unknown key "weekly"\)/,
    ],
    [
      'SYNAPSE_COST_LIMITS',
      '{"perAgent":{"hourly":1}}',
      /SYNAPSE_COST_LIMITS is invalid \(perAgent: unknown key "hourly"\)/,
    ],
    [
      'SYNAPSE_PROJECT_MODEL_CONFIG',
      'deepseek,deepseek-chat',
      /SYNAPSE_PROJECT_MODEL_CONFIG is not valid JSON .*expected a JSON object like \{"model": "provider,model"\}/,
    ],
    [
      'SYNAPSE_PROJECT_MODEL_CONFIG',
      '{"model":"deepseek-chat"}',
      /SYNAPSE_PROJECT_MODEL_CONFIG is invalid \(model: must be a "provider,model" route/,
    ],
    [
      'SYNAPSE_PROJECT_MODEL_CONFIG',
      '{"Router":{"deflt":"a,b"}}',
      /SYNAPSE_PROJECT_MODEL_CONFIG is invalid \(Router: unknown key "deflt"\)/,
    ],
    [
      'SYNAPSE_PROJECT_MODEL_CONFIG',
      '{"Router":{"longContextThreshold":-5}}',
      /Router.longContextThreshold/,
    ],
    [
      'SYNAPSE_AGENT_MODEL_CONFIG',
      '{"agentMapping":{"coding":"fast"}}',
      /SYNAPSE_AGENT_MODEL_CONFIG is invalid \(agentMapping.coding: must be a Router slot/,
    ],
    [
      'SYNAPSE_AGENT_MODEL_CONFIG',
      '"a,b"',
      /SYNAPSE_AGENT_MODEL_CONFIG is JSON string, not an object/,
    ],
    [
      'SYNAPSE_TOKEN_ESTIMATE',
      '12k',
      /SYNAPSE_TOKEN_ESTIMATE is "12k"; expected a whole number of tokens/,
    ],
    ['SYNAPSE_TOKEN_ESTIMATE', '-3', /SYNAPSE_TOKEN_ESTIMATE is "-3"/],
  ])('rejects malformed %s (case %#) with a message naming it', (variable, value, message) => {
    const error = captureError(() => ContextExtractor.fromEnv({ [variable]: value }));
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(new RegExp(`^Environment variable ${variable} `));
    expect(error.source).toBe('env');
    expect(error.key).toBe(variable);
    expect(error.statusCode).toBe(400);
    expect(error.errorType).toBe('invalid_request_error');
    expect(PluginRejectionError.isInstance(error)).toBe(true);
    expect(error.name).toBe('SynapseContextError');
  });
});

describe('ContextExtractor.fromHeaders', () => {
  const headers = {
    'X-Synapse-Project-Id': 'web',
    'x-synapse-agent-id': 'reviewer',
    'x-synapse-agent-type': 'analysis',
    'x-synapse-task-type': 'review',
    'x-synapse-cost-limits': '{"daily":2}',
    'x-synapse-token-estimate': '50000',
  };

  it('reads the x-synapse-* headers case-insensitively from a record', () => {
    expect(ContextExtractor.fromHeaders(headers)).toEqual({
      projectId: 'web',
      agentId: 'reviewer',
      agentType: 'analysis',
      taskType: 'review',
      costLimits: { daily: 2 },
      tokenEstimate: 50000,
    });
  });

  it('reads a fetch Headers object the same way', () => {
    expect(ContextExtractor.fromHeaders(new Headers(headers))).toEqual(
      ContextExtractor.fromHeaders(headers),
    );
  });

  it('accepts Node-style repeated values when they agree and rejects them when they differ', () => {
    expect(ContextExtractor.fromHeaders({ 'x-synapse-project-id': ['web', 'web'] })).toEqual({
      projectId: 'web',
    });
    const error = captureError(() =>
      ContextExtractor.fromHeaders({ 'x-synapse-project-id': ['web', 'api'] }),
    );
    expect(error.message).toBe(
      'Header x-synapse-project-id was sent 2 times with different values; expected a project id (1-256 characters, no control characters).',
    );
  });

  it.each([
    ['x-synapse-project-id', 'a\u0001', /^Header x-synapse-project-id is invalid/],
    ['x-synapse-agent-type', 'planner!', /^Header x-synapse-agent-type is invalid/],
    ['x-synapse-cost-limits', '{"daily":5', /^Header x-synapse-cost-limits is not valid JSON/],
    [
      'x-synapse-cost-limits',
      '{"monthly":"lots"}',
      /^Header x-synapse-cost-limits is invalid \(monthly: must be a number of US dollars\)/,
    ],
    ['x-synapse-token-estimate', 'many', /^Header x-synapse-token-estimate is "many"/],
    [
      'x-synapse-project-model-config',
      '{"model":1}',
      /^Header x-synapse-project-model-config is invalid/,
    ],
  ])('rejects malformed %s', (header, value, message) => {
    const error = captureError(() => ContextExtractor.fromHeaders({ [header]: value }));
    expect(error.message).toMatch(message);
    expect(error.source).toBe('header');
    expect(error.key).toBe(header);
  });

  it('does not echo the malformed value', () => {
    const error = captureError(() =>
      ContextExtractor.fromHeaders({ 'x-synapse-cost-limits': '{"daily": sk-ant-not-a-number}' }),
    );
    expect(error.message).not.toContain('sk-ant');
    expect(error.message).toMatch(
      /^Header x-synapse-cost-limits is not valid JSON \(Unexpected token 's'\)/,
    );
  });

  it('does not echo a long malformed value in full', () => {
    const error = captureError(() =>
      ContextExtractor.fromHeaders({ 'x-synapse-token-estimate': 'x'.repeat(500) }),
    );
    expect(error.message.length).toBeLessThan(200);
  });
});

describe('ContextExtractor.merge', () => {
  it('lets the second context win field by field and replaces JSON values whole', () => {
    const fromEnv = ContextExtractor.fromEnv({
      SYNAPSE_PROJECT_ID: 'env-project',
      SYNAPSE_AGENT_ID: 'env-agent',
      SYNAPSE_COST_LIMITS: '{"daily":5,"monthly":50}',
    });
    const fromHeaders = ContextExtractor.fromHeaders({
      'x-synapse-project-id': 'header-project',
      'x-synapse-cost-limits': '{"daily":1}',
    });
    expect(ContextExtractor.merge(fromEnv, fromHeaders)).toEqual({
      projectId: 'header-project',
      agentId: 'env-agent',
      costLimits: { daily: 1 },
    });
  });
});
