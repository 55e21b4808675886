import { describe, expect, it } from '@jest/globals';
import { ContextExtractor } from '../context/context-extractor.js';
import { SynapseContextError } from '../errors/synapse-context-error.js';
import {
  formatCustomHeaders,
  mergeSynapseCustomHeaders,
  parseCustomHeaders,
  synapseHeadersFromEnv,
} from './custom-headers.js';

const env = {
  SYNAPSE_PROJECT_ID: 'web',
  SYNAPSE_AGENT_ID: 'coder-1',
  SYNAPSE_AGENT_TYPE: 'coding',
  SYNAPSE_TASK_TYPE: 'bugfix',
  SYNAPSE_COST_LIMITS: '{ "daily": 5,\n "perAgent": { "daily": 1 } }',
  SYNAPSE_PROJECT_MODEL_CONFIG: '{"Router":{"default":"deepseek,deepseek-chat"}}',
};

describe('synapseHeadersFromEnv', () => {
  it('turns SYNAPSE_* into x-synapse-* headers with one-line JSON', () => {
    expect(synapseHeadersFromEnv(env)).toEqual({
      'x-synapse-project-id': 'web',
      'x-synapse-agent-id': 'coder-1',
      'x-synapse-agent-type': 'coding',
      'x-synapse-task-type': 'bugfix',
      'x-synapse-cost-limits': '{"daily":5,"perAgent":{"daily":1}}',
      'x-synapse-project-model-config': '{"Router":{"default":"deepseek,deepseek-chat"}}',
    });
    expect(synapseHeadersFromEnv({})).toEqual({});
  });

  it('validates first, naming the variable', () => {
    expect(() => synapseHeadersFromEnv({ SYNAPSE_COST_LIMITS: 'five dollars' })).toThrow(
      /^Environment variable SYNAPSE_COST_LIMITS is not valid JSON/,
    );
    try {
      synapseHeadersFromEnv({ SYNAPSE_AGENT_TYPE: '!' });
    } catch (error) {
      expect(SynapseContextError.isInstance(error)).toBe(true);
    }
  });

  it('round-trips: the server reads back the context conduit code sent', () => {
    const text = formatCustomHeaders(synapseHeadersFromEnv(env));
    expect(ContextExtractor.fromHeaders(parseCustomHeaders(text))).toEqual(
      ContextExtractor.fromEnv(env),
    );
  });
});

describe('formatCustomHeaders / parseCustomHeaders', () => {
  it('renders one Name: Value per line', () => {
    expect(
      formatCustomHeaders({ 'x-synapse-project-id': 'web', 'x-synapse-agent-id': 'a b' }),
    ).toBe('x-synapse-project-id: web\nx-synapse-agent-id: a b');
  });

  it.each([
    [{ 'bad name': 'x' }, '"bad name" is not a valid header name.'],
    [{ 'x-a': 'line\nbreak' }, /line break or a non-ASCII character/],
    [{ 'x-a': 'café' }, /non-ASCII/],
  ])('rejects %j', (headers, message) => {
    expect(() => formatCustomHeaders(headers)).toThrow(message);
  });

  it('parses like Claude Code: skips blank and colon-less lines, keeps colons in values', () => {
    expect(parseCustomHeaders('X-One: 1\n\nnonsense\nx-json: {"a":"b:c"}\r\n')).toEqual({
      'X-One': '1',
      'x-json': '{"a":"b:c"}',
    });
    expect(parseCustomHeaders(undefined)).toEqual({});
  });
});

describe('mergeSynapseCustomHeaders', () => {
  it('keeps the user’s own headers and lets Synapse’s win', () => {
    expect(
      mergeSynapseCustomHeaders({
        ANTHROPIC_CUSTOM_HEADERS: 'x-team: blue\nX-Synapse-Project-Id: stale',
        SYNAPSE_PROJECT_ID: 'web',
      }),
    ).toBe('x-team: blue\nx-synapse-project-id: web');
    expect(mergeSynapseCustomHeaders({})).toBeUndefined();
    expect(mergeSynapseCustomHeaders({ ANTHROPIC_CUSTOM_HEADERS: 'x-team: blue' })).toBe(
      'x-team: blue',
    );
  });
});
