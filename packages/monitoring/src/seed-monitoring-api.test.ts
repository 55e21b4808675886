/**
 * The seed plan's monitoring API (sections 4.1 and 4.2), used as its snippets use it:
 * `UsageTracker#trackRequest(context, decision)`, `#track(usage)`, `#getStats(projectId)`,
 * `#getCostBreakdown(projectId)`, and `HealthMonitor` with `HealthStatus`
 * `{ healthy, checks, uptime, startTime }`.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  HealthMonitor,
  type HealthStatus,
  type RoutingContext,
  type RoutingDecision,
} from '@conduit/core';
import { UsageTracker } from './usage/usage-tracker.js';

const trackers: UsageTracker[] = [];
afterEach(async () => {
  await Promise.all(trackers.splice(0).map(tracker => tracker.close()));
});

function memoryTracker(): UsageTracker {
  const tracker = new UsageTracker({ storage: 'sqlite::memory:' });
  trackers.push(tracker);
  return tracker;
}

const decision: RoutingDecision = {
  provider: 'anthropic',
  model: 'claude-3-5-sonnet-20241022',
  reason: 'default',
  scenario: 'default',
  confidence: 0.5,
  tokenCount: 1000,
  fallbacks: [],
  metadata: {},
};

describe('UsageTracker (seed plan)', () => {
  it('records routing rows with trackRequest(context, decision), priced on the token count', async () => {
    const tracker = memoryTracker();
    const context: RoutingContext = {
      tokenCount: 1_000_000,
      model: 'claude-3-5-sonnet-20241022',
      message: 'Hello world',
      metadata: { projectId: 'project-123', agentId: 'coder-1' },
    };
    await tracker.trackRequest(context, decision);
    tracker.trackRequest({ ...context, metadata: { projectId: 'other' } }, decision);

    const stats = await tracker.getStats('project-123');
    expect(stats.requestCount).toBe(1);
    // Claude 3.5 Sonnet input: $3 per million tokens.
    expect(stats.totalCost).toBeCloseTo(3, 6);
    expect(stats.totals.estimatedRequests).toBe(1);
    expect(stats.byAgent.map(agent => agent.agentId)).toEqual(['coder-1']);

    const records = await tracker.listRecords({ projectId: 'project-123' });
    expect(records[0]).toMatchObject({
      projectId: 'project-123',
      agentId: 'coder-1',
      provider: 'anthropic',
      model: 'claude-3-5-sonnet-20241022',
      inputTokens: 1_000_000,
      routeReason: 'default',
      usageEstimated: true,
    });
  });

  it('records reported usage with track(usage) and breaks the cost down', async () => {
    const tracker = memoryTracker();
    await tracker.track({
      projectId: 'project-123',
      agentId: 'coder-1',
      provider: 'anthropic',
      model: 'claude-3-5-sonnet-20241022',
      inputTokens: 1_000_000,
      outputTokens: 100_000,
    });
    await tracker.track({
      projectId: 'project-123',
      provider: 'anthropic',
      model: 'claude-3-5-haiku-20241022',
      inputTokens: 1_000_000,
    });
    const stats = await tracker.getStats('project-123', { since: new Date(Date.now() - 60_000) });
    expect(stats.requestCount).toBe(2);
    // Sonnet 3 + 1.5, Haiku 0.8.
    expect(stats.totalCost).toBeCloseTo(5.3, 6);
    expect(stats.totals.estimatedRequests).toBe(0);

    const breakdown = await tracker.getCostBreakdown('project-123');
    expect(breakdown.totalCostUsd).toBeCloseTo(5.3, 6);
    expect(breakdown.byModel.map(line => line.key)).toEqual([
      'anthropic,claude-3-5-sonnet-20241022',
      'anthropic,claude-3-5-haiku-20241022',
    ]);
  });

  it('refuses a usage report without provider and model', async () => {
    await expect(memoryTracker().track({} as never)).rejects.toThrow(/provider and model/);
  });
});

describe('HealthMonitor (seed plan)', () => {
  it('reports HealthStatus { healthy, checks, uptime, startTime } from seed-shaped checks', async () => {
    let now = 1_000_000;
    const monitor = new HealthMonitor({ now: () => now });
    monitor.registerCheck('server', () => ({ healthy: true, timestamp: new Date(now) }));
    monitor.registerCheck('storage', async () => ({ healthy: true }));
    monitor.start();
    now += 2500;
    await monitor.runHealthChecks();

    const status: HealthStatus = monitor.getStatus();
    expect(status.healthy).toBe(true);
    expect(status.uptime).toBe(2500);
    expect(status.startTime).toEqual(new Date(1_000_000));
    expect(status.checks.map(check => [check.name, check.healthy])).toEqual([
      ['server', true],
      ['storage', true],
    ]);

    monitor.registerCheck('router', () => {
      throw new Error('router down');
    });
    await monitor.runHealthChecks();
    const failing = monitor.getStatus();
    expect(failing.healthy).toBe(false);
    expect(failing.checks.find(check => check.name === 'router')).toMatchObject({
      healthy: false,
      message: 'router down',
    });

    monitor.stop();
  });

  it('maps { healthy: false, error } to an unhealthy check with the error as message', async () => {
    const monitor = new HealthMonitor();
    monitor.registerCheck('plugins', () => ({ healthy: false, error: 'plugin x failed' }));
    await monitor.runHealthChecks();
    expect(monitor.getStatus()).toMatchObject({
      healthy: false,
      status: 'unhealthy',
      checks: [
        { name: 'plugins', healthy: false, status: 'unhealthy', message: 'plugin x failed' },
      ],
    });
  });

  it('is healthy before its checks first ran, and not after stop()', () => {
    const monitor = new HealthMonitor();
    monitor.registerCheck('slow', () => new Promise(() => {}), { timeoutMs: 10 });
    expect(monitor.getStatus().healthy).toBe(true);
    monitor.stop();
    expect(monitor.getStatus().healthy).toBe(false);
  });
});
