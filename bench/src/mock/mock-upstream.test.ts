import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createBenchAnswer, createOpenAIFrames, createProse, splitText } from './mock-answers.js';
import { type MockUpstream, parseMockRoute, startMockUpstream } from './mock-upstream.js';

describe('parseMockRoute', () => {
  it.each([
    ['/v1/chat/completions', { protocol: 'openai', size: 'small', delayMs: 0, paced: false }],
    ['/v1/messages?beta=true', { protocol: 'anthropic', size: 'small', delayMs: 0, paced: false }],
    ['/long/v1/messages', { protocol: 'anthropic', size: 'long', delayMs: 0, paced: false }],
    [
      '/delay-50/v1/chat/completions',
      { protocol: 'openai', size: 'small', delayMs: 50, paced: false },
    ],
    ['/paced/v1/chat/completions', { protocol: 'openai', size: 'medium', delayMs: 0, paced: true }],
  ])('%s', (path, expected) => {
    expect(parseMockRoute(path)).toEqual(expected);
  });

  it.each(['/v1/models', '/unknown/v1/messages', '/delay-x/v1/messages'])('refuses %s', path => {
    expect(parseMockRoute(path)).toBeNull();
  });
});

describe('mock answers', () => {
  it('produces deterministic prose of the asked length', () => {
    expect(createProse(500)).toHaveLength(500);
    expect(createProse(500)).toBe(createProse(500));
    expect(createProse(500, 3)).not.toBe(createProse(500, 4));
  });

  it('splits text into pieces', () => {
    expect(splitText('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
    expect(splitText('', 3)).toEqual(['']);
  });

  it('streams the long answer as text deltas, tool calls, finish, usage and [DONE]', () => {
    const frames = createOpenAIFrames(createBenchAnswer('long'));
    expect(frames.length).toBeGreaterThan(2000);
    expect(frames.at(-1)).toBe('data: [DONE]\n\n');
    const payloads = frames.slice(0, -1).map(frame => JSON.parse(frame.slice(6)));
    const argumentText = payloads
      .flatMap(payload => payload.choices?.[0]?.delta?.tool_calls ?? [])
      .filter((call: { index: number }) => call.index === 1)
      .map((call: { function: { arguments: string } }) => call.function.arguments)
      .join('');
    expect(JSON.parse(argumentText)).toEqual(createBenchAnswer('long').toolCalls[1]?.input);
  });
});

describe('startMockUpstream', () => {
  let mock: MockUpstream;
  beforeAll(async () => {
    mock = await startMockUpstream();
  });
  afterAll(async () => {
    await mock.close();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${mock.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('answers an OpenAI request with a chat completion', async () => {
    const response = await post('/v1/chat/completions', { model: 'mock-model', messages: [] });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { object: string; choices: unknown[] };
    expect(body.object).toBe('chat.completion');
    expect(body.choices).toHaveLength(1);
  });

  it('streams when the body asks for it', async () => {
    const response = await post('/v1/chat/completions', { stream: true, messages: [] });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const text = await response.text();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('streams Anthropic events for the long answer, tool calls included', async () => {
    const response = await post('/long/v1/messages', { stream: true, messages: [] });
    const text = await response.text();
    expect(text.startsWith('event: message_start\n')).toBe(true);
    expect(text).toContain('"type":"input_json_delta"');
    expect(text.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
  });

  it('answers the paced and delayed paths completely', async () => {
    const paced = await (await post('/paced/v1/chat/completions', { stream: true })).text();
    expect(paced.endsWith('data: [DONE]\n\n')).toBe(true);
    const delayed = await post('/delay-5/v1/messages', { messages: [] });
    expect(((await delayed.json()) as { type: string }).type).toBe('message');
  });

  it('answers 404 for a path it does not serve and counts only served requests', async () => {
    const before = mock.counts.openai + mock.counts.anthropic;
    const response = await post('/v1/embeddings', {});
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('does not serve POST /v1/embeddings');
    expect(mock.counts.openai + mock.counts.anthropic).toBe(before);
  });
});
