import { describe, expect, it } from '@jest/globals';
import { InvalidRequestError } from '@conduit/core';
import { parseUsageQuery, validateUsageQuery } from './usage-query.js';

const now = () => Date.UTC(2026, 10, 25, 12, 0, 0);

describe('parseUsageQuery', () => {
  it('parses ISO dates, epoch milliseconds and a project', () => {
    expect(
      parseUsageQuery({
        projectId: ' synapse ',
        since: '2026-11-01T00:00:00Z',
        until: '1796083200000',
      }),
    ).toEqual({
      projectId: 'synapse',
      since: new Date('2026-11-01T00:00:00Z'),
      until: new Date(1796083200000),
    });
    expect(parseUsageQuery({ agentId: ' coder ', projectId: 'web' })).toEqual({
      projectId: 'web',
      agentId: 'coder',
    });
    expect(parseUsageQuery({ sessionId: ' 4f2a ' })).toEqual({ sessionId: '4f2a' });
    expect(parseUsageQuery({})).toEqual({});
    expect(parseUsageQuery({ projectId: '', since: ' ' })).toEqual({});
  });

  it.each([
    ['15m', 15 * 60_000],
    ['24h', 24 * 3_600_000],
    ['7d', 7 * 86_400_000],
    ['4w', 28 * 86_400_000],
  ])('turns range=%s into since = now - %d ms', (range, milliseconds) => {
    expect(parseUsageQuery({ range }, now)).toEqual({ since: new Date(now() - milliseconds) });
  });

  it('measures a range back from until when both are given', () => {
    expect(parseUsageQuery({ range: '1d', until: '2026-11-10T00:00:00Z' }, now)).toEqual({
      since: new Date('2026-11-09T00:00:00Z'),
      until: new Date('2026-11-10T00:00:00Z'),
    });
  });

  it.each([
    [{ since: 'yesterday' }, 'since', /ISO 8601/],
    [{ until: '2026-13-45' }, 'until', /ISO 8601/],
    [{ range: '3 days' }, 'range', /15m, 24h/],
    [{ range: '1d', since: '2026-11-01' }, 'range', /either range or since/],
    [{ since: '2026-11-02', until: '2026-11-01' }, 'since', /not be after/],
  ])('rejects %j naming %s', (parameters, field, message) => {
    let failure: unknown;
    try {
      parseUsageQuery(parameters, now);
    } catch (error) {
      failure = error;
    }
    expect(InvalidRequestError.isInstance(failure)).toBe(true);
    expect((failure as InvalidRequestError).field).toBe(field);
    expect((failure as Error).message).toMatch(message);
  });
});

describe('validateUsageQuery', () => {
  it('rejects an empty project id and invalid dates', () => {
    expect(() => validateUsageQuery('', {})).toThrow(/projectId/);
    expect(() => validateUsageQuery(undefined, { until: new Date(Number.NaN) })).toThrow(
      /until must be a valid date/,
    );
  });
});
