/**
 * What `conduit code` does to the machine and to claude's arguments before launching it.
 * @module
 */
import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { completeClaudeOnboarding } from './claude-onboarding.js';
import {
  findUserStatusLine,
  statusLineCommandLine,
  writeStatusLineSettings,
} from './claude-statusline-settings.js';

/** Conduit's own flags among claude's arguments (removed before claude sees them). */
export const noStatusLineFlag = '--no-statusline';
export const noFolderTrustFlag = '--no-folder-trust';
const conduitFlags = new Set([noStatusLineFlag, noFolderTrustFlag]);

/**
 * The folder to mark trusted on a first run: the working directory as Claude Code names it (the
 * real path), unless `--no-folder-trust` or CONDUIT_NO_FOLDER_TRUST is set.
 */
async function folderToTrust(
  ownArgs: string[],
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const optOut = env.CONDUIT_NO_FOLDER_TRUST?.trim().toLowerCase();
  if (ownArgs.includes(noFolderTrustFlag) || (optOut && !['0', 'false', 'no'].includes(optOut)))
    return undefined;
  return realpath(process.cwd()).catch(() => process.cwd());
}

/**
 * Returns claude's arguments: `--settings <status line file>` first, Conduit's own flags
 * (`--no-statusline`, `--no-folder-trust`) removed.
 */
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
  const args = [...ownPart.filter(arg => !conduitFlags.has(arg)), ...rest];

  const trustDirectory = await folderToTrust(ownPart, options.env);
  const onboarding = await completeClaudeOnboarding(options.env, { trustDirectory });
  const trusted =
    trustDirectory === undefined
      ? ''
      : `; folder trusted: ${trustDirectory} (--no-folder-trust to ask)`;
  if (onboarding.action === 'created')
    log(`Claude Code first run: onboarding marked complete in ${onboarding.path}${trusted}`);
  else if (onboarding.action === 'merged')
    log(
      `Claude Code onboarding marked complete in ${onboarding.path} (backup: ${onboarding.backup})${trusted}`,
    );
  else if (onboarding.action === 'skipped')
    log(`left Claude Code's config alone: ${onboarding.reason}`);

  if (statusLineOff || ownPart.some(arg => arg === '--settings' || arg.startsWith('--settings=')))
    return args;
  if (await findUserStatusLine(options.env, process.cwd())) return args;
  const cliPath = resolve(process.argv[1] ?? 'conduit');
  const statusLineEntry = join(dirname(cliPath), 'statusline.cjs');
  const command = statusLineCommandLine({
    nodePath: process.execPath,
    cliPath,
    configPath: options.configPath ? resolve(options.configPath) : undefined,
    statusLineEntry: existsSync(statusLineEntry) ? statusLineEntry : undefined,
  });
  const settingsPath = await writeStatusLineSettings(options.conduitHome, command);
  return ['--settings', settingsPath, ...args];
}
