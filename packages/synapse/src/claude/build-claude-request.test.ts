import { describe, expect, it } from '@jest/globals';
import {
  buildClaudeRequest,
  claudeModelAliases,
  resolveClaudeModel,
} from './build-claude-request.js';
import { parseClaudeArgs } from './parse-claude-args.js';

describe('resolveClaudeModel', () => {
  it.each([
    [{ model: 'sonnet' }, {}, claudeModelAliases.sonnet],
    [{ model: 'Haiku' }, {}, claudeModelAliases.haiku],
    [{ model: 'opusplan' }, {}, claudeModelAliases.opus],
    [{ model: 'sonnet[1m]' }, {}, claudeModelAliases.sonnet],
    [
      { model: 'sonnet' },
      { ANTHROPIC_DEFAULT_SONNET_MODEL: 'claude-sonnet-4-5-20250929' },
      'claude-sonnet-4-5-20250929',
    ],
    [{ model: 'deepseek,deepseek-chat' }, {}, 'deepseek,deepseek-chat'],
    [{ model: 'claude-sonnet-4-5-20250929' }, {}, 'claude-sonnet-4-5-20250929'],
    [{}, { ANTHROPIC_MODEL: 'haiku' }, claudeModelAliases.haiku],
    [
      {},
      { ANTHROPIC_MODEL: 'openrouter,google/gemini-2.5-pro' },
      'openrouter,google/gemini-2.5-pro',
    ],
    [{}, { ANTHROPIC_MODEL: '  ' }, claudeModelAliases.opus],
    [{}, {}, claudeModelAliases.opus],
    [{ model: 'default' }, {}, claudeModelAliases.opus],
  ])('%j with env %j → %s', (commandLine, env, expected) => {
    expect(resolveClaudeModel(commandLine, env)).toBe(expected);
  });

  it('prefers --model over ANTHROPIC_MODEL', () => {
    expect(resolveClaudeModel({ model: 'haiku' }, { ANTHROPIC_MODEL: 'sonnet' })).toBe(
      claudeModelAliases.haiku,
    );
  });
});

describe('buildClaudeRequest', () => {
  it('builds the opening request of a print session', () => {
    const request = buildClaudeRequest(
      parseClaudeArgs([
        '--system-prompt',
        'You are terse.',
        '--append-system-prompt',
        'be brief',
        '-p',
        'hello',
        '--model',
        'sonnet',
      ]),
      {},
    );
    expect(request).toEqual({
      model: claudeModelAliases.sonnet,
      max_tokens: 32000,
      messages: [{ role: 'user', content: 'hello' }],
      system: [
        { type: 'text', text: 'You are terse.' },
        { type: 'text', text: 'be brief' },
      ],
      stream: true,
    });
  });

  it('has no message for an interactive session without a prompt', () => {
    expect(buildClaudeRequest(parseClaudeArgs(['--model', 'opus']), {}).messages).toEqual([]);
  });

  it('requests extended thinking when MAX_THINKING_TOKENS is set', () => {
    const request = buildClaudeRequest(parseClaudeArgs(['-p', 'think hard']), {
      MAX_THINKING_TOKENS: '40000',
    });
    expect(request.thinking).toEqual({ type: 'enabled', budget_tokens: 40000 });
    expect(request.max_tokens).toBe(40001);
    expect(
      buildClaudeRequest(parseClaudeArgs(['-p', 'x']), { MAX_THINKING_TOKENS: '0' }).thinking,
    ).toBeUndefined();
  });
});
