import { describeNearBudgets } from './budget-warnings.js';
import type { GatewaySessionInfo } from './gateway-session.js';
import type { ClaudeStatusInput } from './statusline-input.js';
import type { CCRStatusModule, StatusLineSettings } from './statusline-config.js';

/** Conduit's default line: what served the last request, why, the session's tokens and cost. */
export const defaultStatusFormat =
  '{{target}} · {{route}} · ↑{{inputTokens}} ↓{{outputTokens}} · {{cost}} · {{warnings}}';
export const defaultOfflineFormat = '⚠ conduit not reachable · {{claudeModel}}';

/** Compact token counts: 950, 12.3k, 1.2M. */
export function formatTokens(count: number | undefined): string {
  if (count === undefined || !Number.isFinite(count)) return '';
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${(count / 1000).toFixed(count < 10_000 ? 1 : 0)}k`;
  return `${(count / 1_000_000).toFixed(1)}M`;
}

/** `$0.0123`; `+` when some requests have no price; nothing when no request had one. */
function formatCost(session: GatewaySessionInfo | undefined): string {
  const cost = session?.costUsd;
  if (cost === null || cost === undefined) return '';
  const unpriced = (session?.unpricedRequests ?? 0) > 0;
  if (cost === 0 && unpriced) return '';
  return `$${cost >= 1 ? cost.toFixed(2) : cost.toFixed(4)}${unpriced ? '+' : ''}`;
}

function baseName(path: string | undefined): string {
  if (!path) return '';
  return (
    path
      .replace(/[/\\]+$/, '')
      .split(/[/\\]/)
      .pop() ?? ''
  );
}

/** Every `{{variable}}` a format or CCR module can use. */
export function statusVariables(
  input: ClaudeStatusInput,
  session: GatewaySessionInfo | undefined,
  gitBranch: string,
  budgetWarningPercent?: number,
): Record<string, string> {
  const warnings = session
    ? [...session.warnings, ...describeNearBudgets(session, budgetWarningPercent)]
    : [];
  const claudeModel = input.model?.display_name || input.model?.id || '';
  const last = session?.last ?? null;
  const target = last ? `${last.provider}/${last.model}` : claudeModel;
  return {
    target,
    provider: last?.provider ?? '',
    model: last ? target : claudeModel,
    route: last?.route ?? '',
    inputTokens: session ? formatTokens(session.inputTokens) : '',
    outputTokens: session ? formatTokens(session.outputTokens) : '',
    requests: session ? String(session.requests) : '',
    cost: formatCost(session),
    warnings: warnings.length > 0 ? `⚠ ${warnings.join('; ')}` : '',
    warning: warnings.length > 0 ? '⚠' : '',
    claudeModel,
    workDirName: baseName(input.workspace?.current_dir ?? input.cwd),
    gitBranch,
    duration:
      input.cost?.total_duration_ms === undefined
        ? ''
        : `${Math.round(input.cost.total_duration_ms / 1000)}s`,
    linesAdded:
      input.cost?.total_lines_added === undefined ? '' : String(input.cost.total_lines_added),
    linesRemoved:
      input.cost?.total_lines_removed === undefined ? '' : String(input.cost.total_lines_removed),
    sessionId: input.session_id ?? '',
  };
}

function fill(template: string, variables: Record<string, string>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_match, name: string) => variables[name] ?? '');
}

/** Fills a format; segments (split on ` · `) left empty are dropped, so missing data leaves no gaps. */
export function renderFormat(format: string, variables: Record<string, string>): string {
  return fill(format, variables)
    .split(' · ')
    .map(segment => segment.trim())
    .filter(segment => segment !== '' && !/^[↑↓\s]*$/.test(segment))
    .join(' · ');
}

const ansi: Record<string, number> = {
  black: 30,
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  white: 37,
  bright_black: 90,
  bright_red: 91,
  bright_green: 92,
  bright_yellow: 93,
  bright_blue: 94,
  bright_magenta: 95,
  bright_cyan: 96,
  bright_white: 97,
};

function colorCode(name: string | undefined, background: boolean): string {
  if (!name) return '';
  const hex = /^#?([0-9a-f]{6})$/i.exec(name);
  if (hex?.[1]) {
    const value = Number.parseInt(hex[1], 16);
    return `\x1b[${background ? 48 : 38};2;${value >> 16};${(value >> 8) & 255};${value & 255}m`;
  }
  const code = ansi[name.replace(/^bg_/, '')];
  return code === undefined ? '' : `\x1b[${background ? code + 10 : code}m`;
}

/** CCR's `StatusLine` modules: `icon text` in the module's colours, modules without data skipped. */
export function renderCCRModules(
  modules: CCRStatusModule[],
  variables: Record<string, string>,
  powerline: boolean,
): string {
  const parts: string[] = [];
  for (const module of modules) {
    const text = fill(module.text ?? '', variables).trim();
    if (text === '') continue;
    const label = module.icon ? `${module.icon} ${text}` : text;
    const style = colorCode(module.color, false) + colorCode(module.background, true);
    parts.push(style ? `${style}${powerline ? ` ${label} ` : label}\x1b[0m` : label);
  }
  return parts.join(powerline ? '' : '  ');
}

/** The line for Claude Code: the CCR modules when configured, else Conduit's format. */
export function renderStatusLine(
  input: ClaudeStatusInput,
  session: GatewaySessionInfo | undefined,
  settings: StatusLineSettings,
  gitBranch: string,
): string {
  const variables = statusVariables(input, session, gitBranch, settings.budgetWarningPercent);
  if (!session) return renderFormat(settings.offlineFormat ?? defaultOfflineFormat, variables);
  if (settings.ccrModules && !settings.format) {
    return renderCCRModules(settings.ccrModules, variables, settings.powerline === true);
  }
  return renderFormat(settings.format ?? defaultStatusFormat, variables);
}
