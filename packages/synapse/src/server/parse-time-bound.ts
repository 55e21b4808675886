import { InvalidRequestError } from '@conduit/core';

const units: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Reads a `since`/`until` query value: an ISO 8601 date or date-time, epoch milliseconds, or a
 * duration before `now` (`30m`, `24h`, `7d`, `2w`).
 * @throws InvalidRequestError naming the parameter and the accepted forms.
 */
export function parseTimeBound(
  name: string,
  value: string | undefined,
  now: number,
): Date | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  const duration = /^(\d{1,6})([mhdw])$/.exec(text);
  if (duration) return new Date(now - Number(duration[1]) * units[duration[2]!]!);
  if (/^\d{10,15}$/.test(text)) return new Date(Number(text));
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new InvalidRequestError({
    message: `Query parameter "${name}" must be an ISO 8601 date (2026-11-25 or 2026-11-25T10:00:00Z), epoch milliseconds, or a duration such as 24h or 7d.`,
    field: name,
  });
}
