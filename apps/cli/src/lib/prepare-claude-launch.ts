/**
 * What `conduit code` does to the machine and to claude's arguments before launching it.
 * @module
 */
import { resolve } from 'node:path';
import { completeClaudeOnboarding } from './claude-onboarding.js';
import {
  findUserStatusLine,
  statusLineCommandLine,
  writeStatusLineSettings,
} from './claude-statusline-settings.js';

/** Conduit's own flag among claude's arguments (removed before claude sees them). */
export const noStatusLineFlag = '--no-statusline';

/** Returns claude's arguments: `--settings <status line file>` first, `--no-statusline` removed. */
export async function prepareClaudeLaunch(options: {
  claudeArgs: string[];
  configPath: string | undefined;
  env: NodeJS.ProcessEnv;
  conduitHome: string;
  log?: (line: string) => void;
}): Promise<string[]> {
  const log = options.log ?? (line => process.stderr.write(`conduit: ${line}\n`));
  const separator = options.claudeArgs.indexOf('--');
  const ownPart = separator === -1 ? options.claudeArgs : options.claudeArgs.slice(0, separator);
  const rest = separator === -1 ? [] : options.claudeArgs.slice(separator);
  const statusLineOff = ownPart.includes(noStatusLineFlag);
  const args = [...ownPart.filter(arg => arg !== noStatusLineFlag), ...rest];

  const onboarding = await completeClaudeOnboarding(options.env);
  if (onboarding.action === 'created')
    log(`Claude Code first run: onboarding marked complete in ${onboarding.path}`);
  else if (onboarding.action === 'merged')
    log(
      `Claude Code onboarding marked complete in ${onboarding.path} (backup: ${onboarding.backup})`,
    );
  else if (onboarding.action === 'skipped')
    log(`left Claude Code's config alone: ${onboarding.reason}`);

  if (statusLineOff || ownPart.some(arg => arg === '--settings' || arg.startsWith('--settings=')))
    return args;
  if (await findUserStatusLine(options.env, process.cwd())) return args;
  const command = statusLineCommandLine({
    nodePath: process.execPath,
    cliPath: resolve(process.argv[1] ?? 'conduit'),
    configPath: options.configPath ? resolve(options.configPath) : undefined,
  });
  const settingsPath = await writeStatusLineSettings(options.conduitHome, command);
  return ['--settings', settingsPath, ...args];
}
