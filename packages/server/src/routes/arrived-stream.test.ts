import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type MockHTTPServer,
  createOpenAIChunks,
  formatOpenAISSE,
  readFixtureText,
  splitSSEFrames,
  startMockHTTPServer,
} from '@conduit/test-utils';
import type { RequestRecord } from '../observer/request-observer.js';
import { startTestGateway } from '../test-gateway.js';

/**
 * A short streamed answer whose body arrives whole with its headers (one write of the upstream,
 * `raw` below) is sent without the stream machinery (see `markArrived`); the same body written
 * frame by frame, with pauses, goes the usual way. Both must give the client the same bytes and
 * the observers the same record, and an arrived first frame must be judged as the probe judges it.
 */
type Gateway = Awaited<ReturnType<typeof startTestGateway>>;

const sseHeaders = { 'content-type': 'text/event-stream' };
const arrived = (body: string) => ({ type: 'raw' as const, body, headers: sseHeaders });
const streamed = (body: string) => ({
  type: 'sse' as const,
  frames: splitSSEFrames(body),
  frameDelayMs: 5,
});

/** An Anthropic stream with escapes, multi-byte characters and a tool call. */
const unicodeAnthropicStream = [
  'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"usage":{"input_tokens":7,"output_tokens":1}}}\n\n',
  'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"h\\u00e9llo \\"w\\" 日本語 😀\\n"}}\n\n',
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"é ü 🎉"}}\n\n',
  'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n',
  'event: content_block_start\ndata: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"f","input":{}}}\n\n',
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"a\\":\\"ü\\"}"}}\n\n',
  'event: content_block_stop\ndata: {"type":"content_block_stop","index":1}\n\n',
  'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":12}}\n\n',
  'event: message_stop\ndata: {"type":"message_stop"}\n\n',
].join('');

const overloaded =
  'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"busy"}}\n\n';

/** What a record says about the answer (its timing and ids differ from request to request). */
function answerOf(record: RequestRecord | undefined) {
  if (!record) return undefined;
  const { status, streamed, errorType, stopReason, usage, usageEstimated, servedBy } = record;
  return { status, streamed, errorType, stopReason, usage, usageEstimated, servedBy };
}

describe('a streamed answer that arrives whole', () => {
  let primary: MockHTTPServer;
  let backup: MockHTTPServer;
  let gateway: Gateway;
  const records: RequestRecord[] = [];

  beforeAll(async () => {
    primary = await startMockHTTPServer();
    backup = await startMockHTTPServer();
    gateway = await startTestGateway(
      {
        Providers: [
          {
            name: 'claude',
            api_base_url: `${primary.url}/v1/messages`,
            api_key: 'sk-a',
            models: ['claude-upstream'],
            transformer: { use: ['Anthropic'] },
          },
          {
            name: 'openai',
            api_base_url: `${primary.url}/v1/chat/completions`,
            api_key: 'sk-o',
            models: ['gpt-upstream'],
          },
          {
            name: 'backup',
            api_base_url: `${backup.url}/v1/messages`,
            api_key: 'sk-b',
            models: ['claude-backup'],
            transformer: { use: ['Anthropic'] },
          },
        ],
        Router: { default: 'claude,claude-upstream' },
        fallback: { default: ['backup,claude-backup'] },
        resilience: {
          retry: { maxAttempts: 1 },
          circuitBreaker: { enabled: false },
          timeouts: { firstByteMs: 2000, idleMs: 2000, totalMs: 8000 },
        },
      } as never,
      { observer: { onRequestComplete: record => void records.push(record) } },
    );
  });
  afterAll(async () => {
    await gateway.close();
    await primary.close();
    await backup.close();
  });

  const post = async (model: string) => {
    records.length = 0;
    const response = await fetch(`${gateway.baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sk-client' },
      body: JSON.stringify({
        model,
        max_tokens: 5,
        stream: true,
        messages: [{ role: 'user', content: 'go' }],
      }),
    });
    const text = await response.text();
    // The record reaches the observers just after the answer is written.
    for (let wait = 0; records.length === 0 && wait < 50; wait++) {
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    return { response, text, record: answerOf(records[0]) };
  };

  it.each([
    ['a Claude Code fixture', readFixtureText('cc-response-thinking-tool_use.sse')],
    ['escapes, multi-byte characters and a tool call', unicodeAnthropicStream],
    [
      'no message_stop (an incomplete stream)',
      unicodeAnthropicStream.split('event: message_stop')[0]!,
    ],
  ])('passes %s through as the frame-by-frame stream does', async (_name, body) => {
    primary.enqueue(arrived(body));
    const whole = await post('claude,claude-upstream');
    primary.enqueue(streamed(body));
    const usual = await post('claude,claude-upstream');
    expect(whole.response.status).toBe(200);
    expect(whole.response.headers.get('content-type')).toBe(
      usual.response.headers.get('content-type'),
    );
    expect(whole.response.headers.get('x-conduit-attempts')).toBe('1');
    expect(whole.text).toBe(body);
    expect(usual.text).toBe(body);
    expect(whole.record).toEqual(usual.record);
    expect(whole.record?.streamed).toBe(true);
  });

  it('translates an OpenAI stream as the frame-by-frame stream does', async () => {
    const body = formatOpenAISSE(
      createOpenAIChunks(
        {
          text: 'héllo "w" 日本語 😀',
          toolCalls: [{ id: 'call_1', name: 'f', input: { a: 'ü' } }],
          stop: 'tool_use',
          usage: { input: 9, output: 4 },
        },
        { textPieceSize: 3, argumentPieceSize: 4 },
      ),
    ).join('');
    primary.enqueue(arrived(body));
    const whole = await post('openai,gpt-upstream');
    primary.enqueue(streamed(body));
    const usual = await post('openai,gpt-upstream');
    // (Message ids are made per answer.)
    const withoutIds = (text: string) => text.replace(/"msg_[^"]*"/g, '"msg"');
    expect(withoutIds(whole.text)).toBe(withoutIds(usual.text));
    expect(whole.text).toContain('"語 ');
    expect(whole.record).toEqual(usual.record);
    expect(whole.record?.usage).toMatchObject({ input_tokens: 9, output_tokens: 4 });
  });

  it('falls back when the whole answer is a transient error event', async () => {
    primary.enqueue(arrived(overloaded));
    backup.enqueue(arrived(unicodeAnthropicStream));
    const { response, text, record } = await post('claude,claude-upstream');
    expect(response.headers.get('x-conduit-fallback')).toBe('claude,claude-upstream');
    expect(text).toBe(unicodeAnthropicStream);
    expect(record?.servedBy).toEqual({ provider: 'backup', model: 'claude-backup' });
  });

  it('falls back when the whole answer is empty', async () => {
    primary.enqueue(arrived(''));
    backup.enqueue(arrived(unicodeAnthropicStream));
    const { response, text } = await post('claude,claude-upstream');
    expect(response.headers.get('x-conduit-fallback')).toBe('claude,claude-upstream');
    expect(text).toBe(unicodeAnthropicStream);
  });

  it('passes a non-transient error event on, as the stream does', async () => {
    const invalid =
      'event: error\ndata: {"type":"error","error":{"type":"invalid_request_error","message":"no"}}\n\n';
    primary.enqueue(arrived(invalid));
    const whole = await post('claude,claude-upstream');
    primary.enqueue(streamed(invalid));
    const usual = await post('claude,claude-upstream');
    expect(whole.text).toBe(invalid);
    expect(usual.text).toBe(invalid);
    expect(whole.record).toEqual(usual.record);
    expect(whole.record?.errorType).toBe('invalid_request_error');
  });
});
