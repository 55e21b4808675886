import { describe, expect, it } from '@jest/globals';
import { InvalidRequestError } from '@conduit/core';
import { convertResponsesToMessagesRequest } from './convert-responses-to-messages-request.js';
import { responsesCreateRequestSchema } from './responses-inbound-api.js';

const convert = (body: Record<string, unknown>) =>
  convertResponsesToMessagesRequest(responsesCreateRequestSchema.parse(body));

describe('convertResponsesToMessagesRequest', () => {
  it('maps a Codex-style request: instructions, items, function and custom tools, reasoning', () => {
    const converted = convert({
      model: 'gpt-5-codex',
      instructions: 'You are Codex.',
      input: [
        {
          type: 'message',
          role: 'developer',
          content: [{ type: 'input_text', text: 'Sandbox: none.' }],
        },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'List files' }] },
        { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'opaque' },
        { type: 'function_call', call_id: 'call_1', name: 'shell', arguments: '{"cmd":"ls"}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'a.txt' },
        {
          type: 'custom_tool_call',
          call_id: 'call_2',
          name: 'apply_patch',
          input: '*** Begin Patch',
        },
        { type: 'custom_tool_call_output', call_id: 'call_2', output: 'Done' },
      ],
      tools: [
        { type: 'function', name: 'shell', parameters: { type: 'object' } },
        { type: 'custom', name: 'apply_patch', description: 'Patch files' },
        { type: 'web_search' },
      ],
      tool_choice: 'required',
      reasoning: { effort: 'low', summary: 'auto' },
      max_output_tokens: 5000,
      stream: true,
      store: false,
    });
    expect(converted.stream).toBe(true);
    expect([...converted.customToolNames]).toEqual(['apply_patch']);
    expect(converted.warnings).toEqual([
      'tools: the hosted tool "web_search" cannot be served here; left out.',
    ]);
    expect(converted.request).toEqual({
      model: 'gpt-5-codex',
      system: 'You are Codex.\n\nSandbox: none.',
      max_tokens: 5000,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      stream: true,
      tool_choice: { type: 'any' },
      tools: [
        { name: 'shell', input_schema: { type: 'object' } },
        {
          name: 'apply_patch',
          description: 'Patch files',
          input_schema: {
            type: 'object',
            properties: { input: { type: 'string' } },
            required: ['input'],
          },
        },
      ],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'List files' }] },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'call_1', name: 'shell', input: { cmd: 'ls' } }],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'call_1', content: 'a.txt' }],
        },
        {
          role: 'assistant',
          content: [
            {
              type: 'tool_use',
              id: 'call_2',
              name: 'apply_patch',
              input: { input: '*** Begin Patch' },
            },
          ],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'call_2', content: 'Done' }],
        },
      ],
    });
  });

  it.each([
    [{ previous_response_id: 'resp_1' }, 'previous_response_id'],
    [{ input: [{ type: 'item_reference', id: 'x' }] }, 'input[0].type'],
    [{ input: [{ type: 'function_call_output', output: 'x' }] }, 'input[0].call_id'],
    [
      { input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_1' }] }] },
      'input[0].content[0].image_url',
    ],
  ])('rejects %j with a 400 naming %s', (patch, field) => {
    let caught: unknown;
    try {
      convert({ model: 'm', input: 'hi', ...patch });
    } catch (error) {
      caught = error;
    }
    expect(InvalidRequestError.isInstance(caught)).toBe(true);
    expect((caught as InvalidRequestError).field).toBe(field);
  });
});
