import { describe, expect, it } from '@jest/globals';
import { createRecordingLogger } from '../test-logger.js';
import { createPluginHealthCheck } from './health-checks.js';
import { type HealthCheckResult, HealthMonitor } from '@conduit/core';

const healthy = async (): Promise<HealthCheckResult> => ({ status: 'healthy' });

function timeoutsActive(): number {
  return process.getActiveResourcesInfo().filter(resource => resource === 'Timeout').length;
}

describe('HealthMonitor', () => {
  it('is healthy and ready when every check is healthy', async () => {
    const monitor = new HealthMonitor();
    monitor.registerCheck('server', healthy);
    monitor.registerCheck('router', () => ({ status: 'healthy', details: { routes: 3 } }));
    const report = await monitor.runHealthChecks();
    expect(report).toMatchObject({ status: 'healthy', ready: true, failing: [] });
    expect(report.checks.map(check => [check.name, check.status])).toEqual([
      ['server', 'healthy'],
      ['router', 'healthy'],
    ]);
    expect(report.checks[1]?.details).toEqual({ routes: 3 });
    expect(report.checkedAt).not.toBeNull();
  });

  it('is degraded but ready when only a non-critical check fails', async () => {
    const monitor = new HealthMonitor();
    monitor.registerCheck('server', healthy);
    monitor.registerCheck('usage-storage', () => ({ status: 'unhealthy', message: 'pg down' }), {
      critical: false,
    });
    expect(await monitor.runHealthChecks()).toMatchObject({ status: 'degraded', ready: true });
  });

  it('is not ready when a critical check is degraded, and unhealthy when one is unhealthy', async () => {
    const monitor = new HealthMonitor();
    let providers: HealthCheckResult = { status: 'degraded', message: '1 of 3 circuits open' };
    monitor.registerCheck('providers', () => providers);
    let report = await monitor.runHealthChecks();
    expect(report).toMatchObject({ status: 'degraded', ready: false });
    expect(report.failing.map(check => check.name)).toEqual(['providers']);
    providers = { status: 'unhealthy', message: 'all circuits open' };
    report = await monitor.runHealthChecks();
    expect(report).toMatchObject({ status: 'unhealthy', ready: false });
    expect(report.failing[0]).toMatchObject({ message: 'all circuits open', critical: true });
  });

  it('reports checks that have not run yet as not ready', () => {
    const monitor = new HealthMonitor();
    monitor.registerCheck('server', healthy);
    expect(monitor.getStatus()).toMatchObject({
      status: 'unhealthy',
      ready: false,
      checkedAt: null,
    });
    expect(monitor.getStatus().checks[0]).toMatchObject({
      message: 'not checked yet',
      checkedAt: null,
    });
  });

  it('turns throwing, invalid and slow checks into unhealthy results', async () => {
    const monitor = new HealthMonitor({ checkTimeoutMs: 1000 });
    monitor.registerCheck('throws', () => {
      throw new Error('router not loaded');
    });
    monitor.registerCheck('rejects', async () => Promise.reject(new Error('plugin crashed')));
    monitor.registerCheck('invalid', () => ({ status: 'fine' }) as never);
    monitor.registerCheck('hangs', () => new Promise<HealthCheckResult>(() => {}), {
      timeoutMs: 20,
    });
    const report = await monitor.runHealthChecks();
    const byName = Object.fromEntries(report.checks.map(check => [check.name, check]));
    expect(byName.throws).toMatchObject({ status: 'unhealthy', message: 'router not loaded' });
    expect(byName.rejects).toMatchObject({ status: 'unhealthy', message: 'plugin crashed' });
    expect(byName.invalid?.message).toMatch(/invalid result/);
    expect(byName.hangs).toMatchObject({ status: 'unhealthy', message: 'timed out after 20 ms' });
  });

  it('shares a run in progress instead of starting another', async () => {
    const monitor = new HealthMonitor();
    let calls = 0;
    let release: () => void = () => {};
    monitor.registerCheck('slow', async () => {
      calls++;
      await new Promise<void>(resolve => {
        release = resolve;
      });
      return { status: 'healthy' };
    });
    const first = monitor.runHealthChecks();
    const second = monitor.runHealthChecks();
    await new Promise(resolve => setImmediate(resolve));
    release();
    expect(await first).toBe(await second);
    expect(calls).toBe(1);
  });

  it('runs on an interval that does not keep the process alive, until stopped', async () => {
    const monitor = new HealthMonitor({ intervalMs: 5 });
    let calls = 0;
    monitor.registerCheck('count', () => {
      calls++;
      return { status: 'healthy' };
    });
    const before = timeoutsActive();
    monitor.start();
    monitor.start();
    expect(timeoutsActive()).toBe(before);
    const deadline = Date.now() + 5000;
    while (calls < 3 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 5));
    expect(calls).toBeGreaterThanOrEqual(3);
    monitor.stop();
    const stoppedAt = calls;
    await new Promise(resolve => setTimeout(resolve, 25));
    expect(calls).toBe(stoppedAt);
  });

  it('logs status changes once per change', async () => {
    const logger = createRecordingLogger();
    const monitor = new HealthMonitor({ logger });
    let status: HealthCheckResult['status'] = 'healthy';
    monitor.registerCheck('flappy', () => ({ status }));
    await monitor.runHealthChecks();
    await monitor.runHealthChecks();
    status = 'unhealthy';
    await monitor.runHealthChecks();
    await monitor.runHealthChecks();
    status = 'healthy';
    await monitor.runHealthChecks();
    expect(logger.entries.map(entry => [entry.level, entry.details?.status])).toEqual([
      ['info', 'healthy'],
      ['warn', 'unhealthy'],
      ['info', 'healthy'],
    ]);
  });

  it('replaces and removes checks by name and validates registrations', async () => {
    const monitor = new HealthMonitor();
    monitor.registerCheck('a', () => ({ status: 'unhealthy' }));
    monitor.registerCheck('a', healthy);
    expect((await monitor.runHealthChecks()).status).toBe('healthy');
    expect(monitor.unregisterCheck('a')).toBe(true);
    expect(monitor.unregisterCheck('a')).toBe(false);
    expect(monitor.getStatus().checks).toEqual([]);
    expect(() => monitor.registerCheck('', healthy)).toThrow(/must not be empty/);
    expect(() => monitor.registerCheck('x', 'nope' as never)).toThrow(/not a function/);
    expect(() => new HealthMonitor({ intervalMs: 0 })).toThrow(/intervalMs/);
  });

  it('wraps plugin health hooks', async () => {
    expect(await createPluginHealthCheck({ name: 'bare' })()).toMatchObject({ status: 'healthy' });
    const check = createPluginHealthCheck({
      name: 'quota',
      getHealth: () => ({ status: 'degraded', message: 'near quota' }),
    });
    expect(await check()).toEqual({ status: 'degraded', message: 'near quota' });
  });
});
