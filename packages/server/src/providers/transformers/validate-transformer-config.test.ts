import { describe, expect, it } from '@jest/globals';
import { validateTransformerConfig } from './validate-transformer-config.js';

describe('validateTransformerConfig', () => {
  it('accepts the built-in names with valid options', () => {
    expect(
      validateTransformerConfig({
        Providers: [
          { name: 'a', transformer: { use: [['Anthropic', { UseBearer: true }]] } },
          {
            name: 'b',
            transformer: { use: ['OpenAI', ['reasoning', { enable: true, format: 'openrouter' }]] },
          },
          { name: 'c' },
        ],
      }),
    ).toEqual([]);
  });

  it('reports unknown names with the known list, per provider and per model', () => {
    const issues = validateTransformerConfig({
      Providers: [
        { name: 'ds', transformer: { use: ['deepsick'], 'deepseek-chat': { use: ['toolz'] } } },
      ],
    });
    expect(issues).toEqual([
      {
        path: 'Providers[0].transformer.use[0]',
        message: 'unknown transformer "deepsick" (provider "ds").',
        hint: expect.stringContaining('use one of: Anthropic, '),
      },
      {
        path: 'Providers[0].transformer["deepseek-chat"].use[0]',
        message: 'unknown transformer "toolz" (provider "ds").',
        hint: expect.stringContaining('gemini, '),
      },
    ]);
  });

  it.each(['vertex-gemini', 'vertex-claude', 'vertex-openai'])(
    'refuses %s with a clear message and the alternatives',
    name => {
      const [issue] = validateTransformerConfig({
        Providers: [{ name: 'vertex', transformer: { use: [name] } }],
      });
      expect(issue?.message).toBe(
        `${name} is not supported by Conduit yet: Vertex AI needs Google service-account OAuth (GOOGLE_APPLICATION_CREDENTIALS), which Conduit does not implement. (provider "vertex")`,
      );
      expect(issue?.hint).toContain('use the "gemini" transformer with a Gemini API key');
      expect(issue?.hint).toContain('Conduit plugin');
    },
  );

  it('reports bad options', () => {
    const issues = validateTransformerConfig({
      Providers: [
        { name: 'x', transformer: { use: [['reasoning', { enable: 'yes', format: 'magic' }]] } },
      ],
    });
    expect(issues.map(issue => issue.message)).toEqual([
      'transformer "reasoning": option "enable" must be true or false.',
      'transformer "reasoning": option "format" must be one of: none, reasoning_effort, openrouter, thinking.',
    ]);
  });

  it('reports a custom module that fails to load, and the names it would have provided', () => {
    const issues = validateTransformerConfig({
      Providers: [{ name: 'x', transformer: { use: ['mine'] } }],
      transformers: [{ path: '/tmp/conduit-no-such-module.js' }],
    });
    expect(issues.map(issue => issue.path)).toEqual([
      'transformers[0]',
      'Providers[0].transformer.use[0]',
    ]);
    expect(issues[0]?.message).toContain(
      'could not load custom transformer /tmp/conduit-no-such-module.js',
    );
    expect(issues[1]?.hint).toContain('custom transformer modules failed to load');
  });
});
