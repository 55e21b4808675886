import { describe, expect, it } from '@jest/globals';
import { findSecrets, SecretRedactor } from './config-secrets.js';

describe('config secrets', () => {
  const raw = {
    APIKEY: 'inbound-key-123',
    Providers: [
      {
        name: 'a',
        api_key: 'sk-literal-abc',
        api_keys: ['sk-second-def', '$POOL_KEY'],
        headers: { 'x-vendor': 'vendor-token-1' },
      },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a config $VAR reference, not a template
      { name: 'b', api_key: '${B_KEY}' },
    ],
    plugins: [{ name: 'tagger', config: { headers: { 'x-project': 'projectId' } } }],
    transformers: [{ path: 'x.js', options: { token: 'opt-token-xyz' } }],
  };

  it('finds literal keys, pool keys, provider headers and key-like options, never $VAR references', () => {
    expect(findSecrets(raw).sort()).toEqual(
      [
        'inbound-key-123',
        'opt-token-xyz',
        'sk-literal-abc',
        'sk-second-def',
        'vendor-token-1',
      ].sort(),
    );
    expect(findSecrets(raw, ['resolved-from-env', 'short'])).toContain('resolved-from-env');
    expect(findSecrets(raw, ['short'])).not.toContain('short');
  });

  it('redacts in text (comments too) and restores exactly, JSON-escaped', () => {
    const redactor = new SecretRedactor();
    const secrets = findSecrets({ api_key: 'sk-with"quote' }, ['sk-literal-abc']);
    const text =
      '{ // old key sk-literal-abc\n api_key: "sk-with\\"quote", other: "sk-literal-abc" }';
    const redacted = redactor.redactText(text, secrets);
    expect(redacted).not.toContain('sk-literal-abc');
    expect(redacted).not.toContain('sk-with');
    const restored = redactor.restoreText(redacted, secrets);
    expect(restored).toEqual({ text, unknown: [] });
    expect(redactor.restoreText('"[redacted:000000000000]"', secrets).unknown).toEqual([
      '[redacted:000000000000]',
    ]);
  });

  it('uses placeholders that differ per process', () => {
    expect(new SecretRedactor().placeholderFor('sk-x-123')).not.toBe(
      new SecretRedactor().placeholderFor('sk-x-123'),
    );
  });
});
