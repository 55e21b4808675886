import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Conduit's home directory: `$CONDUIT_HOME` (a leading `~` is expanded) or `~/.conduit`.
 * `home` overrides the user's home directory (tests use a temporary one).
 */
export function resolveConduitHome(
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  const configured = env.CONDUIT_HOME?.trim();
  if (configured) {
    if (configured === '~') return home;
    if (configured.startsWith('~/')) return join(home, configured.slice(2));
    return configured;
  }
  return join(home, '.conduit');
}

/** `~/.claude-code-router`, where claude-code-router keeps its `config.json`. */
export function resolveCCRHome(home: string = homedir()): string {
  return join(home, '.claude-code-router');
}
