import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A CCR `StatusLine` module (`{type, icon, text, color, background}`). */
export interface CCRStatusModule {
  type?: string;
  icon?: string;
  text?: string;
  color?: string;
  background?: string;
}

/** The parts of the config the status line reads. */
export interface StatusLineSettings {
  /** Conduit's `statusLine.format`: a template of `{{variables}}`, segments joined by ` · `. */
  format?: string;
  /** Shown when the gateway does not answer. */
  offlineFormat?: string;
  /** How long to wait for the gateway (default 300 ms). */
  timeoutMs?: number;
  /** A budget at or above this share of its limit (percent) gets the ⚠ mark (default 80). */
  budgetWarningPercent?: number;
  /** CCR's `StatusLine` modules of its `currentStyle`, when `StatusLine.enabled`. */
  ccrModules?: CCRStatusModule[];
  /** `StatusLine.currentStyle === "powerline"`: modules drawn on their backgrounds. */
  powerline?: boolean;
}

/**
 * The config file the CLI would load (`--config`, else `$CONDUIT_HOME/config.json`, else
 * `~/.claude-code-router/config.json`). The same order as `@conduit/core`'s `loadConfig`,
 * repeated here because importing core would pull the whole bundle into the status line.
 */
export function statusConfigCandidates(env: NodeJS.ProcessEnv, explicit?: string): string[] {
  if (explicit) return [explicit];
  const home = homedir();
  return [
    join(resolveHome(env, home), 'config.json'),
    join(home, '.claude-code-router', 'config.json'),
  ];
}

/** `$CONDUIT_HOME` (with `~` expanded) or `~/.conduit`. */
export function resolveHome(env: NodeJS.ProcessEnv, home: string = homedir()): string {
  const configured = env.CONDUIT_HOME?.trim();
  if (!configured) return join(home, '.conduit');
  if (configured === '~') return home;
  return configured.startsWith('~/') ? join(home, configured.slice(2)) : configured;
}

/** Reads the status line settings; a missing or broken config gives the defaults. */
export async function readStatusLineSettings(
  env: NodeJS.ProcessEnv,
  explicit?: string,
): Promise<StatusLineSettings> {
  for (const path of statusConfigCandidates(env, explicit)) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      continue;
    }
    try {
      return toSettings((await parseConfigText(text)) as Record<string, unknown>);
    } catch {
      return {};
    }
  }
  return {};
}

/**
 * Plain JSON first; json5 (comments, trailing commas) is loaded only for a config that needs it,
 * since compiling it costs the status line more than everything else it loads.
 */
async function parseConfigText(text: string): Promise<unknown> {
  try {
    return JSON.parse(text);
  } catch {
    const { default: JSON5 } = await import('json5');
    return JSON5.parse(text);
  }
}

function toSettings(config: Record<string, unknown>): StatusLineSettings {
  const settings: StatusLineSettings = {};
  const own = config.statusLine as Record<string, unknown> | undefined;
  if (own && typeof own === 'object') {
    if (typeof own.format === 'string') settings.format = own.format;
    if (typeof own.offlineFormat === 'string') settings.offlineFormat = own.offlineFormat;
    if (typeof own.timeoutMs === 'number' && own.timeoutMs > 0) settings.timeoutMs = own.timeoutMs;
    const percent = own.budgetWarningPercent;
    if (typeof percent === 'number' && Number.isFinite(percent) && percent > 0)
      settings.budgetWarningPercent = percent;
  }
  const ccr = config.StatusLine as Record<string, unknown> | undefined;
  if (ccr && typeof ccr === 'object' && ccr.enabled === true) {
    const style = typeof ccr.currentStyle === 'string' ? ccr.currentStyle : 'default';
    const modules = (ccr[style] as { modules?: unknown } | undefined)?.modules;
    if (Array.isArray(modules) && modules.length > 0) {
      settings.ccrModules = modules.filter(
        (module): module is CCRStatusModule => module !== null && typeof module === 'object',
      );
      settings.powerline = style === 'powerline';
    }
  }
  return settings;
}
