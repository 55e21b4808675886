/**
 * The real interactive Claude Code (pinned in claude-code-version.json) driven in tmux through
 * `conduit code`, with a scripted OpenAI-compatible provider, all inside a network namespace that
 * has only loopback (`unshare -n`). Install the tools with `scripts/install-e2e-tools.sh`.
 * Locally the test is skipped (with a message) when tmux or that Claude Code is missing; under
 * CI=true it fails instead.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { packageDirectory, runProcess } from '../cli-harness.js';

const { version } = JSON.parse(
  readFileSync(path.join(packageDirectory, 'test/e2e/claude-code-version.json'), 'utf8'),
) as { version: string };

/** Where scripts/install-e2e-tools.sh puts Claude Code, unless CONDUIT_E2E_CLAUDE names a binary. */
function claudeBinary(): string {
  if (process.env.CONDUIT_E2E_CLAUDE) return process.env.CONDUIT_E2E_CLAUDE;
  const cache = process.env.CONDUIT_E2E_CACHE ?? path.join(homedir(), '.cache', 'conduit-e2e');
  return path.join(cache, `claude-code-${version}`, 'node_modules', '.bin', 'claude');
}

function missingTools(claude: string): string[] {
  const missing: string[] = [];
  if (spawnSync('tmux', ['-V']).status !== 0) missing.push('tmux');
  const claudeVersion = existsSync(claude)
    ? spawnSync(claude, ['--version'], { encoding: 'utf8' }).stdout
    : '';
  if (!claudeVersion?.startsWith(version)) missing.push(`Claude Code ${version} at ${claude}`);
  return missing;
}

const claude = claudeBinary();
const missing = missingTools(claude);
const inCI = process.env.CI === 'true';
if (missing.length > 0 && !inCI) {
  process.stderr.write(
    `skipping the interactive Claude Code test: missing ${missing.join(', ')} (run scripts/install-e2e-tools.sh)\n`,
  );
}
const runIt = missing.length === 0 || inCI ? it : it.skip;

interface DriverStep {
  name: string;
  ok: boolean;
  detail: string | null;
  pane?: string;
}

describe('interactive Claude Code through conduit code (tmux, loopback-only network)', () => {
  runIt(
    'prompt first, answers, an approved tool call, the status line and /model provider,model',
    async () => {
      expect(missing).toEqual([]);
      const artifacts =
        process.env.CONDUIT_E2E_ARTIFACTS ??
        path.join(packageDirectory, 'test-artifacts', `claude-code-tui-${Date.now()}`);
      process.stderr.write(`interactive Claude Code panes: ${artifacts}\n`);
      const driver = path.join(packageDirectory, 'test/e2e/claude-code-tui-driver.mjs');
      const isolated = spawnSync('unshare', ['-n', 'true']).status === 0;
      if (!isolated && inCI)
        throw new Error('unshare -n is not permitted here (needs CAP_SYS_ADMIN)');
      const quoted = [process.execPath, driver, claude, artifacts].map(
        word => `'${word.replaceAll("'", `'\\''`)}'`,
      );
      const result = isolated
        ? await runProcess(
            'unshare',
            ['-n', 'sh', '-c', `ip link set lo up && exec ${quoted.join(' ')}`],
            {
              env: process.env,
              timeoutMs: 110_000,
            },
          )
        : await runProcess(process.execPath, [driver, claude, artifacts], {
            env: process.env,
            timeoutMs: 110_000,
          });
      const output = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as {
        steps?: DriverStep[];
        error?: string;
        upstreamModels?: string[];
      };
      expect(output.error).toBeUndefined();
      const failed = (output.steps ?? []).filter(step => !step.ok);
      expect(failed.map(step => `${step.name}: ${step.detail ?? ''}\n${step.pane ?? ''}`)).toEqual(
        [],
      );
      expect(output.steps?.map(step => step.name)).toEqual([
        'first-screen',
        'prompt',
        'answer',
        'status-line',
        'permission',
        'tool-result',
        'model-command',
        'model-switch',
        'status-line-after-switch',
      ]);
      expect(output.upstreamModels?.at(-1)).toBe('alt-model');
    },
    120_000,
  );
});
