import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type MockHTTPServer, startMockHTTPServer } from '@conduit/test-utils';
import { createConduitServer } from '../conduit-server.js';
import { startTestGateway } from '../test-gateway.js';

const message = { model: 'claude-x', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };

describe.each([
  ['Anthropic passthrough', 'Anthropic', 'x-api-key'],
  ['Gemini', 'gemini', 'x-goog-api-key'],
  ['OpenAI-compatible', undefined, 'authorization'],
])('an upstream redirect through the %s adapter', (_label, transformer, keyHeader) => {
  let redirecting: MockHTTPServer;
  let elsewhere: MockHTTPServer;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  const providerKey = 'sk-provider-key-never-elsewhere-123';

  beforeAll(async () => {
    redirecting = await startMockHTTPServer();
    elsewhere = await startMockHTTPServer();
    elsewhere.setDefaultResponder(() => ({ type: 'json', body: { stolen: true } }));
    redirecting.setDefaultResponder(request => ({
      type: 'raw',
      status: 307,
      headers: { location: `${elsewhere.url}${request.url}` },
      body: '',
    }));
    gateway = await startTestGateway({
      Providers: [
        {
          name: 'moved',
          api_base_url:
            transformer === 'gemini'
              ? `${redirecting.url}/v1beta/models/`
              : `${redirecting.url}/v1/${transformer === 'Anthropic' ? 'messages' : 'chat/completions'}`,
          api_key: providerKey,
          models: ['model-1'],
          ...(transformer ? { transformer: { use: [transformer] } } : {}),
        },
      ],
      Router: { default: 'moved,model-1' },
      resilience: { retry: { maxAttempts: 1 }, circuitBreaker: { enabled: false } },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await redirecting.close();
    await elsewhere.close();
  });

  it(`is not followed, so ${keyHeader} never reaches the other origin`, async () => {
    const client = new Anthropic({ baseURL: gateway.baseURL, apiKey: 'unused', maxRetries: 0 });
    const error = await client.messages.create(message as never).catch(caught => caught);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error.status).toBe(502);
    expect(error.error.error.message).toContain('redirect');
    expect(error.error.error.message).toContain('"api_base_url"');
    expect(error.error.error.message).not.toContain(providerKey);
    expect(redirecting.requests).toHaveLength(1);
    expect(redirecting.requests[0]!.headers[keyHeader]).toContain(providerKey);
    expect(elsewhere.requests).toHaveLength(0);
  });
});

describe('plain http provider URLs', () => {
  it('are warned about at start when the host is not loopback', async () => {
    const warnings: string[] = [];
    const logger = {
      trace() {},
      debug() {},
      info() {},
      warn: (text: string) => void warnings.push(text),
      error() {},
    };
    const server = createConduitServer(
      {
        Providers: [
          {
            name: 'lan',
            api_base_url: 'http://10.1.2.3:8000/v1/chat/completions',
            api_key: 'k',
            models: ['m'],
          },
          {
            name: 'local',
            api_base_url: 'http://127.0.0.1:11434/v1/chat/completions',
            models: ['m'],
          },
          {
            name: 'tls',
            api_base_url: 'https://api.example.com/v1/chat/completions',
            models: ['m'],
          },
        ],
        Router: { default: 'local,m' },
      },
      { logger },
    );
    await server.start({ port: 0, host: '127.0.0.1' });
    await server.stop();
    const plain = warnings.filter(text => text.includes('plain http'));
    expect(plain).toHaveLength(1);
    expect(plain[0]).toContain('provider "lan"');
    expect(plain[0]).toContain('http://10.1.2.3:8000');
  });
});
