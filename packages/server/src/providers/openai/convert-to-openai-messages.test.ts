import { describe, expect, it } from '@jest/globals';
import type { MessagesRequest } from '@conduit/core';
import { convertToOpenAIMessages } from './convert-to-openai-messages.js';

type Input = Pick<MessagesRequest, 'system' | 'messages'>;

describe('convertToOpenAIMessages', () => {
  it.each<[string, Input, unknown[]]>([
    [
      'string system and string user content',
      { system: 'Be brief.', messages: [{ role: 'user', content: 'hi' }] },
      [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
      ],
    ],
    [
      'system blocks joined, billing header dropped',
      {
        system: [
          { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.197.abc;' },
          { type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } },
          { type: 'text', text: 'Main prompt.' },
        ],
        messages: [{ role: 'user', content: 'hi' }],
      },
      [
        { role: 'system', content: 'You are Claude Code.\n\nMain prompt.' },
        { role: 'user', content: 'hi' },
      ],
    ],
    [
      'mid-conversation system message kept in place',
      {
        messages: [
          { role: 'user', content: 'first' },
          { role: 'system', content: 'reminder' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'a' },
              { type: 'text', text: 'b' },
            ],
          },
        ],
      },
      [
        { role: 'user', content: 'first' },
        { role: 'system', content: 'reminder' },
        { role: 'user', content: 'a\n\nb' },
      ],
    ],
    [
      'images (base64 and URL) make a parts array',
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'look' },
              { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: 'QUJD' } },
              { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
            ],
          },
        ],
      },
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look' },
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,QUJD' } },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
          ],
        },
      ],
    ],
    [
      'assistant thinking, text and tool_use; tool_result with is_error and list content',
      {
        messages: [
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'hmm', signature: 'sig' },
              { type: 'redacted_thinking', data: 'opaque' },
              { type: 'text', text: 'Running.' },
              { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } },
              { type: 'tool_use', id: 'toolu_2', name: 'Read', input: { path: 'a' } },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'toolu_1', content: 'boom', is_error: true },
              {
                type: 'tool_result',
                tool_use_id: 'toolu_2',
                content: [
                  { type: 'text', text: 'line 1' },
                  { type: 'text', text: 'line 2' },
                ],
              },
              { type: 'text', text: 'continue' },
            ],
          },
        ],
      },
      [
        {
          role: 'assistant',
          content: 'Running.',
          reasoning_content: 'hmm',
          tool_calls: [
            {
              id: 'toolu_1',
              type: 'function',
              function: { name: 'Bash', arguments: '{"command":"ls"}' },
            },
            {
              id: 'toolu_2',
              type: 'function',
              function: { name: 'Read', arguments: '{"path":"a"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'Error: boom' },
        { role: 'tool', tool_call_id: 'toolu_2', content: 'line 1\n\nline 2' },
        { role: 'user', content: 'continue' },
      ],
    ],
    [
      'images inside a tool_result follow as a user message',
      {
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: 'toolu_9',
                content: [
                  { type: 'text', text: 'screenshot' },
                  {
                    type: 'image',
                    source: { type: 'base64', media_type: 'image/png', data: 'AA==' },
                  },
                ],
              },
            ],
          },
        ],
      },
      [
        { role: 'tool', tool_call_id: 'toolu_9', content: 'screenshot' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Images returned by tool call toolu_9:' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AA==' } },
          ],
        },
      ],
    ],
    [
      'assistant with only tool calls has null content; with nothing has empty content',
      {
        messages: [
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 't', name: 'X', input: {} }],
          },
          { role: 'assistant', content: [{ type: 'thinking', thinking: 'only', signature: 's' }] },
        ],
      },
      [
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 't', type: 'function', function: { name: 'X', arguments: '{}' } }],
        },
        { role: 'assistant', content: '', reasoning_content: 'only' },
      ],
    ],
    [
      'text documents become text, PDFs become file parts',
      {
        messages: [
          {
            role: 'user',
            content: [
              { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'doc' } },
              {
                type: 'document',
                title: 'spec.pdf',
                source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' },
              },
            ],
          },
        ],
      },
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'doc' },
            {
              type: 'file',
              file: { filename: 'spec.pdf', file_data: 'data:application/pdf;base64,JVBE' },
            },
          ],
        },
      ],
    ],
  ])('%s', (_name, input, expected) => {
    expect(convertToOpenAIMessages(input).messages).toEqual(expected);
  });

  it('sends mid-conversation system text as a user reminder when asked', () => {
    const { messages } = convertToOpenAIMessages(
      { messages: [{ role: 'system', content: 'note' }] },
      { midConversationSystem: 'user' },
    );
    expect(messages).toEqual([
      { role: 'user', content: '<system-reminder>\nnote\n</system-reminder>' },
    ]);
  });

  it('warns about content it cannot carry', () => {
    const { messages, warnings } = convertToOpenAIMessages({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'q' },
            { type: 'image', source: { type: 'file', file_id: 'f' } },
            { type: 'server_tool_use', id: 'x' },
          ],
        },
      ],
    });
    expect(messages).toEqual([{ role: 'user', content: 'q' }]);
    expect(warnings).toHaveLength(2);
  });
});
