/**
 * `conduit keys` through the built CLI: a key created on the command line (secret printed once,
 * `--json` with id and key) serves requests through `conduit start` with its limits, and is
 * refused once revoked.
 */
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { type MockOpenAIProvider, startMockOpenAIProvider } from '@conduit/test-utils';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createSandbox, type Sandbox } from '../../test/cli-harness.js';
import { startForegroundGateway } from '../../test/fleet-harness.js';

const masterKey = 'sk-master-cli-keys-0123456789';

describe('conduit keys', () => {
  let sandbox: Sandbox;
  let upstream: MockOpenAIProvider;
  let configPath: string;

  beforeEach(async () => {
    sandbox = createSandbox();
    upstream = await startMockOpenAIProvider();
    configPath = path.join(sandbox.root, 'config.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        APIKEY: masterKey,
        Providers: [
          {
            name: 'openai',
            api_base_url: upstream.endpoint,
            api_key: 'sk-up',
            models: ['gpt-4o-mini'],
          },
        ],
        Router: { default: 'openai,gpt-4o-mini' },
        fleet: {},
      }),
    );
  });
  afterEach(async () => {
    await sandbox.dispose();
    await upstream.close();
  });

  it('creates, lists, rotates and revokes keys; the gateway honours them', async () => {
    const created = await sandbox.run([
      'keys',
      'create',
      '--name',
      'ci-bot',
      '--rpm',
      '2',
      '--budget-daily',
      '5',
      '--models',
      'openai,gpt-4o-mini',
      '--project',
      'web',
      '--json',
      '--config',
      configPath,
    ]);
    expect(created.code).toBe(0);
    const issued = JSON.parse(created.stdout) as { id: string; key: string; limits: unknown };
    expect(issued.id).toMatch(/^vk_[0-9a-f]{16}$/);
    expect(issued.key).toMatch(/^ck-vk_[0-9a-f]{16}-/);
    expect(issued.limits).toEqual({ rpm: 2, budgetDaily: 5 });
    expect(statSync(path.join(sandbox.conduitHome, 'usage.db')).mode & 0o777).toBe(0o600);

    const text = await sandbox.run(['keys', 'create', '--name', 'human', '--config', configPath]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/ck-vk_[0-9a-f]{16}-\S+/);
    expect(text.stdout).toContain('shown once');

    const listed = await sandbox.run(['keys', 'list', '--config', configPath]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(issued.id);
    expect(listed.stdout).toContain('2 rpm, $5/day');
    expect(listed.stdout).not.toContain(issued.key);

    const gateway = await startForegroundGateway(sandbox, configPath);
    try {
      const sdk = new Anthropic({ baseURL: gateway.url, apiKey: issued.key, maxRetries: 0 });
      const request = {
        model: 'claude-opus-4-8',
        max_tokens: 16,
        messages: [{ role: 'user' as const, content: 'hi' }],
      };
      await sdk.messages.create(request);
      await sdk.messages.create(request);
      await expect(sdk.messages.create(request)).rejects.toBeInstanceOf(Anthropic.RateLimitError);

      const rotated = await sandbox.run([
        'keys',
        'rotate',
        issued.id,
        '--json',
        '--config',
        configPath,
      ]);
      expect(rotated.code).toBe(0);
      const newKey = (JSON.parse(rotated.stdout) as { key: string }).key;
      expect(newKey).not.toBe(issued.key);

      const revoked = await sandbox.run(['keys', 'revoke', issued.id, '--config', configPath]);
      expect(revoked.code).toBe(0);
      expect(revoked.stdout).toContain(`Revoked ${issued.id}`);
      // The running gateway trusts its cached copy for at most fleet.keys.cacheTtlMs (500 ms).
      let status = 0;
      for (let attempt = 0; attempt < 40 && status !== 401; attempt++) {
        const response = await fetch(`${gateway.url}/v1/messages`, {
          method: 'POST',
          headers: { 'x-api-key': newKey, 'content-type': 'application/json' },
          body: JSON.stringify(request),
        });
        status = response.status;
        if (status !== 401) await new Promise(resolve => setTimeout(resolve, 50));
      }
      expect(status).toBe(401);
      const output = gateway.output();
      expect(output).not.toContain(issued.key);
      expect(output).not.toContain(newKey);
    } finally {
      await gateway.stop();
    }

    const unknown = await sandbox.run([
      'keys',
      'revoke',
      'vk_0000000000000000',
      '--config',
      configPath,
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no virtual key "vk_0000000000000000"');
    const missingName = await sandbox.run(['keys', 'create', '--config', configPath]);
    expect(missingName.code).toBe(64);
  });
});
