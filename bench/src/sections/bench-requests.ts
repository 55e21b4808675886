import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MessagesRequest } from '@conduit/core';
import { convertToOpenAIRequest } from '@conduit/server';

/** Which request body a scenario sends. */
export type BodyKind = 'small' | 'claude-code';
/** Which upstream protocol serves it. */
export type UpstreamKind = 'openai' | 'anthropic';
/** Which API the client speaks to the gateway: Anthropic Messages, or the OpenAI door. */
export type ClientDoor = 'anthropic' | 'openai-chat';

/** The Claude Code request used throughout: `claude -p "say hi"` (24 tools, about 76 KB on the wire). */
export const claudeCodeFixture = 'cc-hi-01-messages.json';

/** Reads the Claude Code fixture (compact JSON is what goes on the wire). */
export function readClaudeCodeRequest(fixturesDirectory: string): MessagesRequest {
  return JSON.parse(
    readFileSync(join(fixturesDirectory, claudeCodeFixture), 'utf8'),
  ) as MessagesRequest;
}

/** The bodies one scenario sends: through a gateway, and the equivalent straight to the mock. */
export interface ScenarioBodies {
  /**
   * The body for the gateway (model = `provider,model`): Anthropic Messages for `/v1/messages`, or
   * Chat Completions for the OpenAI door.
   */
  gateway: string;
  gatewayPath: string;
  /** What the gateway itself sends upstream: the passthrough body, or the OpenAI translation. */
  direct: string;
  directPath: string;
}

/** A small request: one short user turn. */
export function createSmallRequest(): MessagesRequest {
  return {
    model: 'claude-opus-4-8',
    max_tokens: 256,
    messages: [{ role: 'user', content: 'say hi' }],
  } as MessagesRequest;
}

/**
 * Builds the gateway body and its direct-to-mock equivalent. The OpenAI equivalent is Conduit's own
 * translation of the request, so the mock receives the same bytes either way.
 */
export function createScenarioBodies(options: {
  request: MessagesRequest;
  upstream: UpstreamKind;
  provider: string;
  stream: boolean;
  /** Mock path prefix of the provider (`/long`, `/delay-50`, …). */
  pathPrefix?: string;
  door?: ClientDoor;
}): ScenarioBodies {
  const { upstream, provider, stream } = options;
  const base = { ...options.request, stream } as MessagesRequest & { stream: boolean };
  const upstreamModel = upstream === 'openai' ? 'mock-model' : 'claude-opus-4-8';
  const route = `${provider},${upstreamModel}`;
  // The OpenAI door's client sends what an OpenAI SDK would: Conduit's own OpenAI rendering of the
  // same conversation (so both doors carry the same content).
  const gateway =
    options.door === 'openai-chat'
      ? JSON.stringify(convertToOpenAIRequest({ ...base, model: route }, route).body)
      : JSON.stringify({ ...base, model: route });
  const gatewayPath = options.door === 'openai-chat' ? '/v1/chat/completions' : '/v1/messages';
  const prefix = options.pathPrefix ?? '';
  if (upstream === 'anthropic') {
    return {
      gateway,
      gatewayPath,
      direct: JSON.stringify({ ...base, model: upstreamModel }),
      directPath: `${prefix}/v1/messages`,
    };
  }
  const converted = convertToOpenAIRequest({ ...base, model: upstreamModel }, upstreamModel);
  return {
    gateway,
    gatewayPath,
    direct: JSON.stringify(converted.body),
    directPath: `${prefix}/v1/chat/completions`,
  };
}

/** Headers Claude Code sends that matter to a gateway. */
export const gatewayHeaders: Record<string, string> = {
  'anthropic-version': '2023-06-01',
  'x-api-key': 'sk-test',
  'user-agent': 'claude-cli/2.1.197 (external, sdk-cli)',
};

/** Headers the OpenAI SDK sends to the OpenAI door. */
export const openAIGatewayHeaders: Record<string, string> = {
  authorization: 'Bearer sk-test',
  'user-agent': 'OpenAI/JS 6.49.0',
};

/** Headers for the direct calls (the credentials the gateway would add). */
export function directHeaders(upstream: UpstreamKind): Record<string, string> {
  return upstream === 'openai'
    ? { authorization: 'Bearer sk-bench' }
    : { 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-bench' };
}

/** Checks a first response: an Anthropic message or stream through a gateway, the vendor's format direct. */
export function createValidator(options: {
  format: UpstreamKind;
  stream: boolean;
}): (status: number, body: string) => string | undefined {
  return (_status, body) => {
    let expected: string;
    if (options.stream) expected = options.format === 'openai' ? '[DONE]' : 'event: message_stop';
    else expected = options.format === 'openai' ? '"chat.completion"' : '"type":"message"';
    return body.includes(expected)
      ? undefined
      : `unexpected response (no ${expected}): ${body.slice(0, 300)}`;
  };
}
