import { describe, expect, it } from '@jest/globals';
import {
  formatTokens,
  renderCCRModules,
  renderFormat,
  renderStatusLine,
} from './render-statusline.js';

const session = {
  last: { provider: 'openrouter', model: 'moonshotai/kimi-k2', route: 'longContext' },
  requests: 3,
  inputTokens: 123_456,
  outputTokens: 980,
  costUsd: 1.5,
  unpricedRequests: 1,
  warnings: ['circuit open: deepseek,deepseek-chat'],
};

describe('renderStatusLine', () => {
  it.each([
    [950, '950'],
    [1_234, '1.2k'],
    [56_789, '57k'],
    [2_500_000, '2.5M'],
  ])('formatTokens(%d) = %s', (count, text) => expect(formatTokens(count)).toBe(text));

  it('shows target, route, tokens, cost (+ when some requests are unpriced) and warnings', () => {
    expect(renderStatusLine({ model: { display_name: 'Opus' } }, session, {}, '')).toBe(
      'openrouter/moonshotai/kimi-k2 · longContext · ↑123k ↓980 · $1.50+ · ⚠ circuit open: deepseek,deepseek-chat',
    );
  });

  it('drops segments left empty, so a session without requests shows no gaps', () => {
    const empty = {
      ...session,
      last: null,
      requests: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      unpricedRequests: 0,
      warnings: [],
    };
    expect(renderStatusLine({ model: { display_name: 'Opus' } }, empty, {}, '')).toBe(
      'Opus · ↑0 ↓0 · $0.0000',
    );
    expect(renderFormat('{{provider}} · {{route}} · x', {})).toBe('x');
  });

  it('renders CCR modules in their colours (names and hex) and skips those without data', () => {
    const line = renderCCRModules(
      [
        { type: 'workDir', icon: '󰉋', text: '{{workDirName}}', color: 'bright_blue' },
        { type: 'gitBranch', text: '{{gitBranch}}', color: '#ff8800' },
        { type: 'script', text: '{{scriptOutput}}' },
      ],
      { workDirName: 'app', gitBranch: 'main' },
      false,
    );
    expect(line).toBe('\x1b[94m󰉋 app\x1b[0m  \x1b[38;2;255;136;0mmain\x1b[0m');
  });

  it('uses the offline format when the gateway gave nothing', () => {
    expect(renderStatusLine({}, undefined, { offlineFormat: 'off · {{claudeModel}}' }, '')).toBe(
      'off',
    );
  });
});
