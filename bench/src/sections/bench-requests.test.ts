import { describe, expect, it } from '@jest/globals';
import { createScenarioBodies, createSmallRequest, createValidator } from './bench-requests.js';

describe('createScenarioBodies', () => {
  it('sends the OpenAI translation straight to the mock', () => {
    const bodies = createScenarioBodies({
      request: createSmallRequest(),
      upstream: 'openai',
      provider: 'mock-openai-long',
      stream: true,
      pathPrefix: '/long',
    });
    expect(JSON.parse(bodies.gateway)).toMatchObject({
      model: 'mock-openai-long,mock-model',
      stream: true,
    });
    const direct = JSON.parse(bodies.direct);
    expect(direct).toMatchObject({ model: 'mock-model', stream: true });
    expect(direct.messages).toEqual([{ role: 'user', content: 'say hi' }]);
    expect(bodies.directPath).toBe('/long/v1/chat/completions');
  });

  it('sends the same Anthropic body for the passthrough', () => {
    const bodies = createScenarioBodies({
      request: createSmallRequest(),
      upstream: 'anthropic',
      provider: 'mock-anthropic',
      stream: false,
    });
    expect(JSON.parse(bodies.direct)).toEqual({
      ...JSON.parse(bodies.gateway),
      model: 'claude-opus-4-8',
    });
    expect(bodies.directPath).toBe('/v1/messages');
  });
});

describe('createScenarioBodies for the OpenAI door', () => {
  it('sends a Chat Completions body to /v1/chat/completions and the same upstream body direct', () => {
    const bodies = createScenarioBodies({
      request: createSmallRequest(),
      upstream: 'openai',
      provider: 'mock-openai',
      stream: true,
      door: 'openai-chat',
    });
    expect(bodies.gatewayPath).toBe('/v1/chat/completions');
    expect(JSON.parse(bodies.gateway)).toMatchObject({
      model: 'mock-openai,mock-model',
      messages: [{ role: 'user', content: 'say hi' }],
      stream: true,
    });
    expect(JSON.parse(bodies.direct)).toEqual({
      ...JSON.parse(bodies.gateway),
      model: 'mock-model',
    });
  });
});

describe('createValidator', () => {
  it('expects the format of the response', () => {
    expect(
      createValidator({ format: 'openai', stream: true })(200, 'data: [DONE]\n\n'),
    ).toBeUndefined();
    expect(
      createValidator({ format: 'anthropic', stream: false })(200, '{"type":"message"}'),
    ).toBeUndefined();
    expect(createValidator({ format: 'anthropic', stream: true })(200, '{}')).toContain(
      'no event: message_stop',
    );
  });
});
