import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type MockOpenAIProvider,
  readFixtureJSON,
  startMockOpenAIProvider,
} from '@conduit/test-utils';
import { type MessagesRequest, messagesRequestSchema } from '@conduit/core';
import { singleProviderConfig, startTestGateway } from '../../test-gateway.js';
import { InboundBody } from '../../request/inbound-body.js';
import { parseJSONRequest } from '../../request/parse-json-request.js';
import type { ProviderCallInput } from '../provider-adapter.js';
import { convertToOpenAIRequest } from './convert-to-openai-request.js';
import { reusedToolDefinitions } from './reused-tool-definitions.js';

const claudeCode = readFixtureJSON<MessagesRequest>('cc-hi-01-messages.json');

function parse(request: unknown): MessagesRequest {
  return parseJSONRequest(
    new InboundBody(Buffer.from(JSON.stringify(request))),
    messagesRequestSchema,
    {
      linkToolsSource: true,
    },
  );
}

function callInput(request: MessagesRequest, options: { transformer?: boolean } = {}) {
  return {
    request,
    rawBodyBytes: new Uint8Array(0),
    pipeline: {
      adapterId: 'openai',
      requestTransformers: options.transformer
        ? [{ name: 'edit', transformRequestBody: (body: Record<string, unknown>) => body }]
        : [],
      responseTransformers: [],
      settings: {},
    },
  } as unknown as ProviderCallInput;
}

describe('reusedToolDefinitions', () => {
  it('translates the same tools text once and gives what a fresh translation gives', () => {
    const first = parse(claudeCode);
    const second = parse({ ...claudeCode, messages: [{ role: 'user', content: 'another turn' }] });
    const reused = reusedToolDefinitions(callInput(first));
    expect(reused).toBeDefined();
    expect(reusedToolDefinitions(callInput(second))).toBe(reused);
    const fresh = convertToOpenAIRequest(second, 'mock-model');
    expect(convertToOpenAIRequest(second, 'mock-model', {}, reused)).toEqual(fresh);
    expect(Object.isFrozen(reused?.tools[0]?.function.parameters)).toBe(true);
    // The shared copy is the cache's own: the request's objects stay as they were.
    expect(Object.isFrozen(second.tools?.[0]?.input_schema)).toBe(false);
  });

  it('translates afresh when the request may differ from its bytes or a transformer edits the body', () => {
    const request = parse(claudeCode);
    expect(reusedToolDefinitions({ ...callInput(request), rawBodyBytes: undefined })).toBe(
      undefined,
    );
    expect(reusedToolDefinitions(callInput(request, { transformer: true }))).toBeUndefined();
    // Tools that were not parsed from a body (a library caller's request) have no source.
    expect(
      reusedToolDefinitions(callInput({ ...request, tools: [...(request.tools ?? [])] })),
    ).toBe(undefined);
    // Different schema keywords to remove: a translation of their own.
    const withoutSchema = reusedToolDefinitions(callInput(request));
    expect(reusedToolDefinitions(callInput(request), ['$schema', 'additionalProperties'])).not.toBe(
      withoutSchema,
    );
  });
});

describe('an OpenAI upstream sent the same Claude Code tools twice', () => {
  let upstream: MockOpenAIProvider;
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;

  beforeAll(async () => {
    upstream = await startMockOpenAIProvider();
    gateway = await startTestGateway(
      singleProviderConfig({
        name: 'mock',
        api_base_url: upstream.endpoint,
        models: ['mock-model'],
      }),
    );
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });

  it('receives, both times, the bytes a fresh translation serializes to', async () => {
    upstream.reset();
    const turns = [
      { ...claudeCode, stream: false },
      { ...claudeCode, stream: false, messages: [{ role: 'user', content: 'second turn — ok' }] },
    ];
    for (const turn of turns) {
      const response = await fetch(`${gateway.baseURL}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify(turn),
      });
      expect(response.status).toBe(200);
      await response.text();
    }
    expect(upstream.requests).toHaveLength(2);
    turns.forEach((turn, index) => {
      const fresh = convertToOpenAIRequest(parse(turn), 'mock-model').body;
      expect(upstream.requests[index]?.rawBody).toBe(JSON.stringify(fresh));
    });
  });
});
