import { InvalidRequestError } from '@conduit/core';
import type { TimeRange, UsageQuery } from './usage-types.js';

/**
 * Checks a project id and time range and returns the query the stores take. Throws
 * {@link InvalidRequestError} (400 at the server edge) for invalid dates or `since > until`.
 */
export function validateUsageQuery(
  projectId: string | undefined,
  timeRange: TimeRange & { agentId?: string; sessionId?: string },
): UsageQuery {
  const query: UsageQuery = {};
  for (const bound of ['since', 'until'] as const) {
    const value = timeRange[bound];
    if (value === undefined) continue;
    if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
      throw new InvalidRequestError({ message: `${bound} must be a valid date`, field: bound });
    }
    query[bound] = value;
  }
  if (query.since && query.until && query.since.getTime() > query.until.getTime()) {
    throw new InvalidRequestError({ message: 'since must not be after until', field: 'since' });
  }
  if (projectId !== undefined) {
    if (typeof projectId !== 'string' || projectId === '') {
      throw new InvalidRequestError({
        message: 'projectId must be a non-empty string',
        field: 'projectId',
      });
    }
    query.projectId = projectId;
  }
  for (const field of ['agentId', 'sessionId'] as const) {
    const value = timeRange[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value === '') {
      throw new InvalidRequestError({ message: `${field} must be a non-empty string`, field });
    }
    query[field] = value;
  }
  return query;
}

const relativePattern = /^(\d+)([mhdw])$/;
const unitMs: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Parses the query string of `GET /api/usage`: `projectId`, `agentId`, `sessionId`, `since`, `until` (ISO 8601 dates or
 * epoch milliseconds), and `range` (`15m`, `24h`, `7d`, `4w`: the last N units before `until` or
 * now). Throws {@link InvalidRequestError} naming the bad parameter.
 *
 * @example
 * parseUsageQuery({ projectId: 'synapse', range: '7d' }); // { projectId, since: 7 days ago }
 */
export function parseUsageQuery(
  parameters: Record<string, string | undefined>,
  now: () => number = Date.now,
): UsageQuery {
  const since = parseDate(parameters.since, 'since');
  const until = parseDate(parameters.until, 'until');
  const range = parameters.range?.trim();
  let rangeSince: Date | undefined;
  if (range) {
    if (since) {
      throw new InvalidRequestError({
        message: 'use either range or since, not both',
        field: 'range',
      });
    }
    const match = relativePattern.exec(range);
    if (!match) {
      throw new InvalidRequestError({
        message: 'range must look like 15m, 24h, 7d or 4w',
        field: 'range',
      });
    }
    const end = until?.getTime() ?? now();
    rangeSince = new Date(end - Number(match[1]) * unitMs[match[2]!]!);
  }
  const projectId = parameters.projectId?.trim() || undefined;
  const agentId = parameters.agentId?.trim() || undefined;
  const sessionId = parameters.sessionId?.trim() || undefined;
  return validateUsageQuery(projectId, {
    ...((since ?? rangeSince) ? { since: since ?? rangeSince } : {}),
    ...(until ? { until } : {}),
    ...(agentId ? { agentId } : {}),
    ...(sessionId ? { sessionId } : {}),
  });
}

function parseDate(value: string | undefined, field: string): Date | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const date = /^\d+$/.test(text) ? new Date(Number(text)) : new Date(text);
  if (Number.isNaN(date.getTime())) {
    throw new InvalidRequestError({
      message: `${field} must be an ISO 8601 date or epoch milliseconds (got "${text}")`,
      field,
    });
  }
  return date;
}
