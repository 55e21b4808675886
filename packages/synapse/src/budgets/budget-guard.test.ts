import { describe, expect, it } from '@jest/globals';
import { BudgetGuard } from './budget-guard.js';
import { resolveApplicableBudgets } from './budget-limits.js';
import { SessionBudgets } from './session-budgets.js';
import type { SpendSnapshot, SpendSource } from './spend-source.js';

/** A ledger stand-in that counts reads and answers from a settable figure. */
function fakeSource(initial: SpendSnapshot = { totalUsd: 0, byAgent: new Map() }) {
  const calls: Array<{ projectId: string | undefined; since: string }> = [];
  let snapshot = initial;
  let pending: ((value: SpendSnapshot) => void) | undefined;
  let hold = false;
  let fail = false;
  const source: SpendSource = {
    getSpend(projectId, since) {
      calls.push({ projectId, since: since.toISOString() });
      if (fail) return Promise.reject(new Error('database is down'));
      if (hold) return new Promise(resolve => (pending = resolve));
      return Promise.resolve(snapshot);
    },
  };
  return {
    source,
    calls,
    set: (next: SpendSnapshot) => (snapshot = next),
    hold: (value: boolean) => (hold = value),
    fail: (value: boolean) => (fail = value),
    release: () => pending?.(snapshot),
  };
}

const noon = Date.parse('2026-11-25T12:00:00Z');

describe('BudgetGuard', () => {
  it('reads each window once per TTL and adds recorded spend in between', async () => {
    const ledger = fakeSource({ totalUsd: 4, byAgent: new Map([['a', 1]]) });
    let now = noon;
    const guard = new BudgetGuard({ source: ledger.source, cacheTtlMs: 5000, now: () => now });
    const budgets = { project: { id: 'web', daily: 5 } };
    expect(await guard.check(budgets)).toBeNull();
    expect(await guard.check(budgets)).toBeNull();
    expect(ledger.calls).toEqual([{ projectId: 'web', since: '2026-11-25T00:00:00.000Z' }]);

    guard.recordSpend({ projectId: 'web', costUsd: 0.5 });
    guard.recordSpend({ projectId: 'other', costUsd: 100 });
    expect(await guard.check(budgets)).toBeNull();
    guard.recordSpend({ projectId: 'web', agentId: 'a', costUsd: 0.5 });
    expect(await guard.check(budgets)).toEqual({
      scope: 'project',
      id: 'web',
      period: 'daily',
      spentUsd: 5,
      limitUsd: 5,
      resetsAt: '2026-11-26T00:00:00.000Z',
    });
    expect(ledger.calls).toHaveLength(1);

    // After the TTL the stale figure is used while a refresh runs; the refresh replaces base and pending.
    now += 6000;
    ledger.set({ totalUsd: 1, byAgent: new Map() });
    expect(await guard.check(budgets)).not.toBeNull();
    expect(ledger.calls).toHaveLength(2);
    await new Promise(resolve => setImmediate(resolve));
    expect(await guard.check(budgets)).toBeNull();
  });

  it('checks agent budgets against the agent’s share of its project window', async () => {
    const ledger = fakeSource({
      totalUsd: 10,
      byAgent: new Map([
        ['coder', 2],
        ['reviewer', 8],
      ]),
    });
    const guard = new BudgetGuard({ source: ledger.source, now: () => noon });
    expect(await guard.check({ agent: { id: 'coder', projectId: 'web', daily: 3 } })).toBeNull();
    expect(
      await guard.check({ agent: { id: 'reviewer', projectId: 'web', monthly: 3 } }),
    ).toMatchObject({
      scope: 'agent',
      id: 'reviewer',
      projectId: 'web',
      period: 'monthly',
      spentUsd: 8,
      resetsAt: '2026-12-01T00:00:00.000Z',
    });
    expect(ledger.calls.map(call => call.since)).toEqual([
      '2026-11-25T00:00:00.000Z',
      '2026-11-01T00:00:00.000Z',
    ]);
  });

  it('uses a fresh window when the day changes', async () => {
    const ledger = fakeSource({ totalUsd: 9, byAgent: new Map() });
    let now = Date.parse('2026-11-25T23:59:59Z');
    const guard = new BudgetGuard({ source: ledger.source, now: () => now });
    expect(await guard.check({ project: { id: 'web', daily: 5 } })).not.toBeNull();
    now += 2000;
    ledger.set({ totalUsd: 0, byAgent: new Map() });
    expect(await guard.check({ project: { id: 'web', daily: 5 } })).toBeNull();
    expect(ledger.calls.at(-1)?.since).toBe('2026-11-26T00:00:00.000Z');
  });

  it('lets requests through when the ledger fails or is slow, and reports it', async () => {
    const ledger = fakeSource({ totalUsd: 100, byAgent: new Map() });
    const guard = new BudgetGuard({ source: ledger.source, lookupTimeoutMs: 20, now: () => noon });
    ledger.fail(true);
    expect(await guard.check({ project: { id: 'web', daily: 1 } })).toBeNull();
    expect(guard.getHealth()).toMatchObject({
      status: 'degraded',
      failedLookups: 1,
      lastError: 'database is down',
    });
    ledger.fail(false);
    ledger.hold(true);
    expect(await guard.check({ project: { id: 'slow', daily: 1 } })).toBeNull();
    ledger.release();
    await new Promise(resolve => setImmediate(resolve));
    expect(await guard.check({ project: { id: 'slow', daily: 1 } })).not.toBeNull();
  });

  it('treats a limit of 0 as blocking everything', async () => {
    const guard = new BudgetGuard({ source: fakeSource().source, now: () => noon });
    expect(await guard.check({ project: { id: 'web', daily: 0 } })).toMatchObject({
      spentUsd: 0,
      limitUsd: 0,
    });
  });
});

describe('BudgetGuard.peek', () => {
  const budgets = {
    project: { id: 'web', daily: 5, monthly: 100 },
    agent: { id: 'coder', projectId: 'web', daily: 2 },
  };

  it('reports each budget with its spend and share, in check order, and changes no spend', async () => {
    const ledger = fakeSource({ totalUsd: 4, byAgent: new Map([['coder', 1]]) });
    const guard = new BudgetGuard({ source: ledger.source, now: () => noon });
    guard.recordSpend({ projectId: 'web', agentId: 'coder', costUsd: 0.25 });
    const expected = [
      { scope: 'project', id: 'web', period: 'daily', spentUsd: 4, limitUsd: 5, fraction: 0.8 },
      { scope: 'project', id: 'web', period: 'monthly', spentUsd: 4, limitUsd: 100 },
      { scope: 'agent', id: 'coder', projectId: 'web', period: 'daily', spentUsd: 1 },
    ];
    expect(await guard.peek(budgets)).toMatchObject(expected);
    // Peeking again (and again) reads the same figures: nothing was reserved or recorded.
    expect(await guard.peek(budgets)).toMatchObject(expected);
    expect(await guard.peek(budgets)).toEqual(await guard.peek(budgets));
    expect(await guard.check(budgets)).toBeNull();
    // Spend recorded after the window was read shows, and peeking leaves it as it was.
    guard.recordSpend({ projectId: 'web', agentId: 'coder', costUsd: 0.5 });
    const after = await guard.peek(budgets);
    expect(after[0]).toMatchObject({ spentUsd: 4.5, fraction: 0.9 });
    expect(after[2]).toMatchObject({ spentUsd: 1.5, fraction: 0.75 });
    expect(await guard.peek(budgets)).toEqual(after);
    expect(ledger.calls).toHaveLength(2); // daily and monthly windows, read once each
  });

  it('agrees with check at the limit and leaves out budgets whose spend is unknown', async () => {
    const ledger = fakeSource({ totalUsd: 5, byAgent: new Map() });
    const guard = new BudgetGuard({ source: ledger.source, lookupTimeoutMs: 20, now: () => noon });
    expect(await guard.peek({ project: { id: 'web', daily: 5 } })).toMatchObject([{ fraction: 1 }]);
    expect(await guard.check({ project: { id: 'web', daily: 5 } })).not.toBeNull();
    expect(await guard.peek({ project: { id: 'free', daily: 0 } })).toMatchObject([
      { spentUsd: 5, limitUsd: 0, fraction: 1 },
    ]);
    ledger.fail(true);
    expect(await guard.peek({ project: { id: 'down', daily: 5 } })).toEqual([]);
  });

  it('SessionBudgets answers with the budgets of a session’s latest request', async () => {
    const ledger = fakeSource({ totalUsd: 4.25, byAgent: new Map() });
    const sessions = new SessionBudgets(
      new BudgetGuard({ source: ledger.source, now: () => noon }),
    );
    sessions.remember('s1', { project: { id: 'web', daily: 5 } });
    expect(await sessions.read('s1')).toEqual([
      {
        scope: 'project',
        id: 'web',
        period: 'daily',
        spentUsd: 4.25,
        limitUsd: 5,
        fraction: 0.85,
        source: 'synapse',
      },
    ]);
    expect(await sessions.read('unknown')).toEqual([]);
    sessions.remember('s1', {});
    expect(await sessions.read('s1')).toEqual([]);
  });
});

describe('resolveApplicableBudgets', () => {
  const budgets = {
    project: { daily: 10, monthly: 100 },
    agent: { daily: 2 },
    projects: { web: { daily: 20, agent: { daily: 4 } } },
    agents: { lead: { monthly: 50 } },
  };

  it('picks the most specific setting per field', () => {
    expect(resolveApplicableBudgets(budgets, { projectId: 'web', agentId: 'coder' })).toEqual({
      project: { id: 'web', daily: 20, monthly: 100 },
      agent: { id: 'coder', projectId: 'web', daily: 4 },
    });
    expect(resolveApplicableBudgets(budgets, { projectId: 'api', agentId: 'lead' })).toEqual({
      project: { id: 'api', daily: 10, monthly: 100 },
      agent: { id: 'lead', projectId: 'api', daily: 2, monthly: 50 },
    });
  });

  it('lets context limits tighten but never raise', () => {
    expect(
      resolveApplicableBudgets(budgets, {
        projectId: 'web',
        agentId: 'coder',
        costLimits: { daily: 1000, monthly: 5, perAgent: { daily: 1, monthly: 7 } },
      }),
    ).toEqual({
      project: { id: 'web', daily: 20, monthly: 5 },
      agent: { id: 'coder', projectId: 'web', daily: 1, monthly: 7 },
    });
  });

  it('needs ids: no project id, no project budget', () => {
    expect(resolveApplicableBudgets(budgets, { costLimits: { daily: 1 } })).toEqual({});
    expect(
      resolveApplicableBudgets(undefined, { projectId: 'web', costLimits: { daily: 1 } }),
    ).toEqual({
      project: { id: 'web', daily: 1 },
    });
  });
});
