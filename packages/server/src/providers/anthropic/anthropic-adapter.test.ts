import { describe, expect, it } from '@jest/globals';
import { buildAnthropicHeaders, resolveAnthropicMessagesURL } from './anthropic-adapter.js';
import { AnthropicUsageReader } from './anthropic-usage-reader.js';

describe('resolveAnthropicMessagesURL', () => {
  it.each([
    ['https://api.anthropic.com/v1/messages', 'https://api.anthropic.com/v1/messages'],
    ['https://api.anthropic.com', 'https://api.anthropic.com/v1/messages'],
    ['https://api.anthropic.com/', 'https://api.anthropic.com/v1/messages'],
    ['https://proxy.example.com/v1', 'https://proxy.example.com/v1/messages'],
    ['https://x/v1/messages?beta=true', 'https://x/v1/messages?beta=true'],
  ])('%s → %s', (input, expected) => {
    expect(resolveAnthropicMessagesURL(input)).toBe(expected);
  });
});

describe('buildAnthropicHeaders', () => {
  const inbound = new Headers({
    'x-api-key': 'client-key',
    authorization: 'Bearer client-token',
    'anthropic-version': '2023-06-01',
    'anthropic-beta': 'claude-code-20250219',
    'x-claude-code-session-id': 'abc',
  });

  it('forwards protocol headers and sets only the provider key', () => {
    const headers = buildAnthropicHeaders({
      inboundHeaders: inbound,
      apiKey: 'provider-key',
      useBearer: false,
      extraHeaders: { 'x-extra': '1' },
    });
    expect(Object.fromEntries(headers)).toEqual({
      accept: 'application/json',
      'anthropic-beta': 'claude-code-20250219',
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
      'x-api-key': 'provider-key',
      'x-extra': '1',
    });
  });

  it('uses Bearer with UseBearer and a default version', () => {
    const headers = buildAnthropicHeaders({
      inboundHeaders: new Headers(),
      apiKey: 'k',
      useBearer: true,
      extraHeaders: undefined,
    });
    expect(headers.get('authorization')).toBe('Bearer k');
    expect(headers.get('x-api-key')).toBeNull();
    expect(headers.get('anthropic-version')).toBe('2023-06-01');
  });

  it('sends no credentials when the provider has no key', () => {
    const headers = buildAnthropicHeaders({
      inboundHeaders: inbound,
      apiKey: undefined,
      useBearer: false,
      extraHeaders: undefined,
    });
    expect(headers.get('x-api-key')).toBeNull();
    expect(headers.get('authorization')).toBeNull();
  });
});

describe('AnthropicUsageReader', () => {
  const event = (data: unknown) => ({
    event: undefined,
    id: undefined,
    data: JSON.stringify(data),
  });

  it('combines message_start and message_delta usage', () => {
    const reader = new AnthropicUsageReader(99);
    reader.readEvent(
      event({
        type: 'message_start',
        message: { usage: { input_tokens: 27, cache_read_input_tokens: 5, output_tokens: 1 } },
      }),
    );
    reader.readEvent(
      event({
        type: 'message_delta',
        delta: { stop_reason: 'tool_use' },
        usage: { output_tokens: 82 },
      }),
    );
    reader.readEvent(event({ type: 'message_stop' }));
    expect(reader.getOutcome()).toEqual({
      usage: {
        input_tokens: 27,
        output_tokens: 82,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 5,
      },
      usageEstimated: false,
      stopReason: 'tool_use',
    });
  });

  it('marks a stream without message_stop incomplete and estimates missing usage', () => {
    const reader = new AnthropicUsageReader(40);
    reader.readEvent({ event: 'ping', id: undefined, data: 'not json' });
    expect(reader.getOutcome()).toMatchObject({
      usage: { input_tokens: 40 },
      usageEstimated: true,
      stopReason: null,
      errorType: 'stream_incomplete',
    });
  });

  it('records error events', () => {
    const reader = new AnthropicUsageReader(0);
    reader.readEvent(event({ type: 'error', error: { type: 'overloaded_error', message: 'x' } }));
    expect(reader.getOutcome().errorType).toBe('overloaded_error');
  });
});
