import { join } from 'node:path';
import { presetDirectory } from '../lib/preset-store.js';
import { launchClaudeCode } from './code.js';

/**
 * `conduit <preset> [claude args]` (CCR v2's `ccr <preset>`): Claude Code through a gateway
 * running the preset's config. The preset gets its own gateway (state in its folder, so it runs
 * beside the main one) on a free loopback port, recording into the main usage ledger.
 */
export async function runPreset(name: string, claudeArgs: string[]): Promise<number> {
  const directory = presetDirectory(name);
  // The preset's gateway keeps its PID file and logs in the preset folder; claude, and the
  // status line it runs, inherit this environment.
  process.env.CONDUIT_HOME = directory;
  return launchClaudeCode({ configPath: join(directory, 'config.json'), claudeArgs });
}
