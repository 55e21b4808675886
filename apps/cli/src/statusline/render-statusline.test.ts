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

  it('marks budgets at or above the threshold (80% by default), fullest first', () => {
    const use = (id: string, spentUsd: number, limitUsd: number, scope = 'project') => ({
      scope,
      id,
      period: 'daily',
      spentUsd,
      limitUsd,
      fraction: spentUsd / limitUsd,
    });
    const near = {
      ...session,
      warnings: [],
      budgetUse: [
        use('web', 4.25, 5),
        use('coder', 0.5, 2, 'agent'),
        use('k1', 9.5, 10, 'key'),
        use('web', 4.25, 6),
      ],
    };
    expect(renderStatusLine({}, near, { format: '{{warnings}}' }, '')).toBe(
      '⚠ budget 95%: key k1 daily $9.50/$10.00; budget 85%: project web daily $4.25/$5.00',
    );
    expect(
      renderStatusLine({}, near, { format: '{{warnings}}', budgetWarningPercent: 20 }, ''),
    ).toContain('budget 25%: agent coder daily $0.5000/$2.00');
    expect(
      renderStatusLine(
        {},
        near,
        { format: '{{target}} · {{warnings}}', budgetWarningPercent: 96 },
        '',
      ),
    ).toBe('openrouter/moonshotai/kimi-k2');
  });

  it('does not repeat a budget the gateway already reported as reached (downgrade)', () => {
    const reached = {
      ...session,
      warnings: ['budget 120%: project web daily $6.00/$5.00 (downgraded)'],
      budgets: [{ scope: 'project', id: 'web', period: 'daily', fraction: 1.2 }],
      budgetUse: [
        { scope: 'project', id: 'web', period: 'daily', spentUsd: 6, limitUsd: 5, fraction: 1.2 },
      ],
    };
    expect(renderStatusLine({}, reached, { format: '{{warnings}}' }, '')).toBe(
      '⚠ budget 120%: project web daily $6.00/$5.00 (downgraded)',
    );
  });
});
