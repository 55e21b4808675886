import { describe, expect, it } from '@jest/globals';
import { InvalidRequestError, type MessagesRequest } from '@conduit/core';
import { convertToOpenAITools } from './convert-to-openai-tools.js';

const bash = {
  name: 'Bash',
  description: 'Run a command',
  input_schema: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    properties: { command: { type: 'string' } },
    required: ['command'],
  },
};
const bashFunction = {
  type: 'function',
  function: {
    name: 'Bash',
    description: 'Run a command',
    parameters: {
      type: 'object',
      properties: { command: { type: 'string' } },
      required: ['command'],
    },
  },
};

describe('convertToOpenAITools', () => {
  it.each<[string, Pick<MessagesRequest, 'tools' | 'tool_choice'>, Record<string, unknown>]>([
    ['no tools', {}, {}],
    ['tools without choice', { tools: [bash] }, { tools: [bashFunction] }],
    [
      'auto',
      { tools: [bash], tool_choice: { type: 'auto' } },
      { tools: [bashFunction], tool_choice: 'auto' },
    ],
    [
      'any → required',
      { tools: [bash], tool_choice: { type: 'any' } },
      { tools: [bashFunction], tool_choice: 'required' },
    ],
    [
      'none',
      { tools: [bash], tool_choice: { type: 'none' } },
      { tools: [bashFunction], tool_choice: 'none' },
    ],
    [
      'named tool, parallel disabled',
      {
        tools: [bash],
        tool_choice: { type: 'tool', name: 'Bash', disable_parallel_tool_use: true },
      },
      {
        tools: [bashFunction],
        tool_choice: { type: 'function', function: { name: 'Bash' } },
        parallel_tool_calls: false,
      },
    ],
    ['tool_choice without tools is dropped', { tools: [], tool_choice: { type: 'any' } }, {}],
    [
      'tool without schema gets an empty object schema',
      { tools: [{ name: 'Ping' }] },
      {
        tools: [
          {
            type: 'function',
            function: { name: 'Ping', parameters: { type: 'object', properties: {} } },
          },
        ],
      },
    ],
  ])('%s', (_name, input, expected) => {
    const { warnings, ...result } = convertToOpenAITools(input);
    expect(result).toEqual(expected);
    expect(warnings).toEqual([]);
  });

  it('drops server tools with a warning', () => {
    const result = convertToOpenAITools({
      tools: [{ name: 'web_search', type: 'web_search_20250305' }, bash],
    });
    expect(result.tools).toEqual([bashFunction]);
    expect(result.warnings[0]).toContain('web_search');
  });

  it('rejects a named tool_choice without a name', () => {
    expect(() => convertToOpenAITools({ tools: [bash], tool_choice: { type: 'tool' } })).toThrow(
      InvalidRequestError,
    );
  });

  it('removes the configured schema keywords', () => {
    const result = convertToOpenAITools(
      {
        tools: [
          {
            name: 'F',
            input_schema: { type: 'object', properties: { u: { type: 'string', format: 'uri' } } },
          },
        ],
      },
      { removedSchemaKeywords: ['format'] },
    );
    expect(result.tools?.[0]?.function.parameters).toEqual({
      type: 'object',
      properties: { u: { type: 'string' } },
    });
  });
});
