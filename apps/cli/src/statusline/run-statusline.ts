/**
 * `conduit statusline` (and `ccr statusline`): the command Claude Code runs for its status line.
 * It must never block or fail Claude Code, so every failure degrades to a plainer line and the
 * exit code is always 0. Loaded by `bin.ts` before (and instead of) the rest of the CLI: it
 * imports only Node built-ins (fs, net, os, path; json5 only for a config that is not plain JSON).
 * @module
 */
import { fetchSessionInfo, findGatewayURL } from './gateway-session.js';
import { readGitBranch } from './git-branch.js';
import { renderStatusLine } from './render-statusline.js';
import { readStatusLineSettings, resolveHome } from './statusline-config.js';
import { readStatusInput } from './statusline-input.js';

export interface StatusLineOptions {
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  stdin?: NodeJS.ReadStream;
  write?: (text: string) => void;
}

/** Prints the status line for the JSON on stdin; resolves with the exit code (always 0). */
export async function runStatusLine(options: StatusLineOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const write = options.write ?? (text => process.stdout.write(text));
  const [input, settings] = await Promise.all([
    readStatusInput(options.stdin),
    readStatusLineSettings(env, options.configPath),
  ]);
  const [baseURL, gitBranch] = await Promise.all([
    findGatewayURL(env, resolveHome(env)),
    readGitBranch(input.workspace?.current_dir ?? input.cwd),
  ]);
  const session =
    baseURL === undefined
      ? undefined
      : await fetchSessionInfo(baseURL, input.session_id || 'unknown', {
          timeoutMs: settings.timeoutMs ?? 300,
          token: env.ANTHROPIC_AUTH_TOKEN || env.ANTHROPIC_API_KEY,
        });
  write(`${renderStatusLine(input, session, settings, gitBranch)}\n`);
  return 0;
}

/** `statusline [--config <file>]` parsed by hand (yargs is not loaded on this path). */
export function parseStatusLineArguments(args: string[]): { configPath?: string } {
  for (let index = 0; index < args.length; index++) {
    const token = args[index] ?? '';
    if (token === '--config' || token === '-c') return { configPath: args[index + 1] };
    if (token.startsWith('--config=')) return { configPath: token.slice('--config='.length) };
  }
  return {};
}
