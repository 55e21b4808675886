/**
 * Parses the time bounds of `conduit usage --since/--until`: a relative duration (`30m`, `12h`,
 * `7d`, `2w`) counted back from now, a date (`2026-11-01`, UTC midnight) or a full ISO timestamp.
 * @module
 */
import { CLIError } from './cli-error.js';
import { exitCodes } from './exit-codes.js';

const unitMs: Record<string, number> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Turns `7d` / `2026-11-01` / an ISO timestamp into a Date; `flag` names the option in errors. */
export function parseTimeBound(text: string, { now, flag }: { now: Date; flag: string }): Date {
  const trimmed = text.trim();
  const relative = /^(\d+)\s*([mhdw])$/i.exec(trimmed);
  if (relative) {
    const amount = Number(relative[1]);
    const unit = relative[2]?.toLowerCase() ?? 'd';
    return new Date(now.getTime() - amount * (unitMs[unit] ?? unitMs.d ?? 0));
  }
  if (trimmed === 'now') return now;
  if (trimmed === 'today') {
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) {
    const date = new Date(`${trimmed}T00:00:00.000Z`);
    if (!Number.isNaN(date.getTime()) && date.toISOString().startsWith(trimmed)) return date;
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) {
    const date = new Date(trimmed);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new CLIError({
    message: `${flag} "${text}" is not a time: use a duration back from now (30m, 12h, 7d, 2w), a date (2026-11-01, UTC) or an ISO timestamp`,
    exitCode: exitCodes.usage,
  });
}
