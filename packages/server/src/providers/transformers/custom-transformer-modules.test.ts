import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConfigError } from '@conduit/core';
import {
  adapterContractGatewayConfig,
  type MockOpenAIProvider,
  startMockOpenAIProvider,
} from '@conduit/test-utils';
import { createConduitServer } from '../../conduit-server.js';
import { singleProviderConfig, startTestGateway } from '../../test-gateway.js';
import { loadCustomTransformers, resolveTransformerPath } from './custom-transformer-modules.js';
import { validateTransformerConfig } from './validate-transformer-config.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`./__fixtures__/custom-transformers/${name}`, import.meta.url));

describe('loadCustomTransformers', () => {
  it('loads a CCR module and registers it under its name', () => {
    const { definitions, issues } = loadCustomTransformers([
      { path: fixture('tagging-transformer.cjs'), options: { tag: 't' } },
    ]);
    expect(issues).toEqual([]);
    expect(definitions.map(definition => definition.name)).toEqual(['tagging']);
    const instance = definitions[0]!.create({});
    expect(typeof instance.transformRequestBody).toBe('function');
    expect(typeof instance.transformResponseBody).toBe('function');
    expect(typeof instance.transformResponseStream).toBe('function');
  });

  it.each<[string, string, RegExp, RegExp]>([
    [
      'an endPoint module',
      'endpoint-transformer.cjs',
      /custom transformer "my-endpoint" \(.*endpoint-transformer\.cjs\) declares endPoint "\/v1\/chat\/completions", which Conduit does not support\./,
      /write a Conduit plugin instead/,
    ],
    ['a module without a name', 'nameless-transformer.cjs', /has no "name" property/, /name field/],
    [
      'a missing file',
      'missing.cjs',
      /could not load custom transformer .*missing\.cjs/,
      /check the path/,
    ],
  ])('refuses %s with what is unsupported', (_name, file, message, hint) => {
    const { definitions, issues } = loadCustomTransformers([{ path: fixture(file) }]);
    expect(definitions).toEqual([]);
    expect(issues).toEqual([
      {
        path: 'transformers[0]',
        message: expect.stringMatching(message),
        hint: expect.stringMatching(hint),
      },
    ]);
  });

  it.each([
    ['/abs/x.js', '/abs/x.js'],
    ['rel/x.js', '/base/rel/x.js'],
  ])('resolves %s', (path, expected) => {
    expect(resolveTransformerPath(path, '/base')).toBe(expected);
  });

  it('makes the loaded names valid in transformer.use', () => {
    expect(
      validateTransformerConfig({
        transformers: [{ path: fixture('tagging-transformer.cjs') }],
        Providers: [{ name: 'p', transformer: { use: ['tagging'] } }],
      }),
    ).toEqual([]);
  });

  it('refuses a config with an endPoint module at start, pointing to plugins', () => {
    expect(() =>
      createConduitServer({
        transformers: [{ path: fixture('endpoint-transformer.cjs') }],
        Providers: [],
      }),
    ).toThrow(ConfigError);
    expect(() =>
      createConduitServer({ transformers: [{ path: fixture('endpoint-transformer.cjs') }] }),
    ).toThrow(/Conduit plugin/);
  });
});

describe('custom transformer modules in a running gateway', () => {
  let upstream: MockOpenAIProvider;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let client: Anthropic;

  beforeAll(async () => {
    upstream = await startMockOpenAIProvider();
    gateway = await startTestGateway(
      singleProviderConfig(
        {
          name: 'custom',
          api_base_url: upstream.endpoint,
          models: ['model-x', 'deepseek-chat'],
          transformer: { use: ['tagging'], 'deepseek-chat': { use: ['deepseek'] } },
        },
        {
          ...adapterContractGatewayConfig,
          transformers: [
            { path: fixture('tagging-transformer.cjs'), options: { tag: 'team-a' } },
            { path: fixture('deepseek-override.cjs') },
          ],
        },
      ),
    );
    client = new Anthropic({ baseURL: gateway.baseURL, apiKey: 'sk-client', maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('runs transformRequestIn (body and config.headers) and transformResponseOut on JSON', async () => {
    upstream.reset();
    const message = await client.messages.create({
      model: 'custom,model-x',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const [request] = upstream.requests;
    expect(request?.json).toMatchObject({ metadata_tag: 'team-a', seen_provider: 'custom' });
    expect(request?.headers['x-tag']).toBe('team-a');
    expect(request?.headers.authorization).toBe('Bearer sk-provider-secret');
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from the mock. [team-a]' }]);
  });

  it('runs transformResponseOut on the raw upstream stream', async () => {
    const message = await client.messages
      .stream({
        model: 'custom,model-x',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'hi' }],
      })
      .finalMessage();
    expect(message.content).toEqual([
      expect.objectContaining({ type: 'text', text: 'Hello from the MOCK.' }),
    ]);
  });

  it('lets a loaded module override a built-in name', async () => {
    upstream.reset();
    await client.messages.create({
      model: 'custom,deepseek-chat',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(upstream.requests[0]?.json).toMatchObject({ max_tokens: 42 });
  });
});
