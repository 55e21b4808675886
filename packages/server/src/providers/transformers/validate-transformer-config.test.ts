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
        { name: 'ds', transformer: { use: ['deepseek'], 'deepseek-chat': { use: ['tooluse'] } } },
      ],
    });
    expect(issues).toEqual([
      {
        path: 'Providers[0].transformer.use[0]',
        message: 'unknown transformer "deepseek" (provider "ds").',
        hint: 'use one of: Anthropic, OpenAI, reasoning.',
      },
      {
        path: 'Providers[0].transformer["deepseek-chat"].use[0]',
        message: 'unknown transformer "tooluse" (provider "ds").',
        hint: 'use one of: Anthropic, OpenAI, reasoning.',
      },
    ]);
  });

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

  it('mentions custom transformer modules when the config lists some', () => {
    const [issue] = validateTransformerConfig({
      Providers: [{ name: 'x', transformer: { use: ['mine'] } }],
      transformers: [{ path: '/tmp/mine.js' }],
    });
    expect(issue?.hint).toContain('Custom transformer modules');
  });
});
