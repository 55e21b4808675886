import { type Logger, silentLogger } from '../types/logger.js';

/** Health of one component or of the whole. */
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

/** What a check reports (the same shape as a plugin's `getHealth()`). */
export interface HealthCheckResult {
  status: HealthStatus;
  message?: string;
  details?: Record<string, unknown>;
}

/** A health probe; throwing or timing out counts as `unhealthy`. */
export type HealthCheck = () => Promise<HealthCheckResult> | HealthCheckResult;

export interface RegisterCheckOptions {
  /** Readiness requires every critical check to be healthy (default true). */
  critical?: boolean;
  /** Per-check timeout (default: the monitor's `checkTimeoutMs`). */
  timeoutMs?: number;
}

/** One check's latest result. */
export interface CheckReport extends HealthCheckResult {
  name: string;
  critical: boolean;
  /** When the check last finished (ISO), `null` before its first run. */
  checkedAt: string | null;
  durationMs: number | null;
}

/** The monitor's view: overall status, readiness and each check. Plain JSON. */
export interface HealthReport {
  /** `unhealthy` if a critical check is unhealthy; `degraded` if any check is not healthy. */
  status: HealthStatus;
  /** `true` when every critical check is healthy (serve 503 from `/health/ready` otherwise). */
  ready: boolean;
  checkedAt: string | null;
  checks: CheckReport[];
  /** Critical checks that are not healthy (what `/health/ready` lists on 503). */
  failing: CheckReport[];
}

export interface HealthMonitorOptions {
  /** How often `start()` runs the checks (default 30000 ms; `server.healthCheck.intervalMs`). */
  intervalMs?: number;
  /** Default per-check timeout (default 5000 ms). */
  checkTimeoutMs?: number;
  logger?: Logger;
  /** Clock in epoch ms (tests). */
  now?: () => number;
}

interface RegisteredCheck {
  name: string;
  check: HealthCheck;
  critical: boolean;
  timeoutMs: number;
  report: CheckReport;
}

/**
 * Runs named health checks on an interval that never keeps the process alive, each with a
 * timeout, and aggregates them into liveness (`status`) and readiness (`ready`).
 *
 * @example
 * const health = new HealthMonitor({ intervalMs: 30000, logger });
 * health.registerCheck('usage-storage', createUsageStorageCheck(tracker), { critical: false });
 * health.start();
 * const report = health.getStatus(); // or await health.runHealthChecks()
 */
export class HealthMonitor {
  private readonly checks = new Map<string, RegisteredCheck>();
  private readonly intervalMs: number;
  private readonly checkTimeoutMs: number;
  private readonly logger: Logger;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<HealthReport> | undefined;
  private lastRunAt: number | null = null;
  private lastStatus: HealthStatus | undefined;

  constructor(options: HealthMonitorOptions = {}) {
    this.intervalMs = positive(options.intervalMs, 30000, 'intervalMs');
    this.checkTimeoutMs = positive(options.checkTimeoutMs, 5000, 'checkTimeoutMs');
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
  }

  /** Adds (or replaces) a check. Names are what `/health/ready` reports. */
  registerCheck(name: string, check: HealthCheck, options: RegisterCheckOptions = {}): void {
    if (name.trim() === '') throw new TypeError('health check name must not be empty');
    if (typeof check !== 'function')
      throw new TypeError(`health check "${name}" is not a function`);
    const critical = options.critical ?? true;
    this.checks.set(name, {
      name,
      check,
      critical,
      timeoutMs: positive(options.timeoutMs, this.checkTimeoutMs, 'timeoutMs'),
      report: {
        name,
        critical,
        status: 'unhealthy',
        message: 'not checked yet',
        checkedAt: null,
        durationMs: null,
      },
    });
  }

  /** Removes a check; returns whether it existed. */
  unregisterCheck(name: string): boolean {
    return this.checks.delete(name);
  }

  /** Runs every check now (and on each interval until `stop()`). The timer is unref'd. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      void this.runHealthChecks();
    }, this.intervalMs);
    this.timer.unref();
    void this.runHealthChecks();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Runs all checks concurrently; a run already in progress is shared rather than repeated. */
  runHealthChecks(): Promise<HealthReport> {
    this.running ??= this.runAll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** The latest results, without running anything. */
  getStatus(): HealthReport {
    const checks = [...this.checks.values()].map(entry => ({ ...entry.report }));
    const failing = checks.filter(check => check.critical && check.status !== 'healthy');
    let status: HealthStatus = 'healthy';
    if (checks.some(check => check.critical && check.status === 'unhealthy')) status = 'unhealthy';
    else if (checks.some(check => check.status !== 'healthy')) status = 'degraded';
    return {
      status,
      ready: failing.length === 0,
      checkedAt: this.lastRunAt === null ? null : new Date(this.lastRunAt).toISOString(),
      checks,
      failing,
    };
  }

  private async runAll(): Promise<HealthReport> {
    await Promise.all([...this.checks.values()].map(entry => this.runOne(entry)));
    this.lastRunAt = this.now();
    const report = this.getStatus();
    if (report.status !== this.lastStatus) {
      const details = {
        status: report.status,
        previous: this.lastStatus ?? null,
        failing: report.checks
          .filter(check => check.status !== 'healthy')
          .map(
            check => `${check.name}: ${check.status}${check.message ? ` (${check.message})` : ''}`,
          ),
      };
      if (report.status === 'healthy') this.logger.info('Health status changed', details);
      else this.logger.warn('Health status changed', details);
      this.lastStatus = report.status;
    }
    return report;
  }

  private async runOne(entry: RegisteredCheck): Promise<void> {
    const started = this.now();
    let result: HealthCheckResult;
    let timeout: NodeJS.Timeout | undefined;
    try {
      result = await Promise.race([
        Promise.resolve().then(() => entry.check()),
        new Promise<HealthCheckResult>(resolve => {
          timeout = setTimeout(
            () =>
              resolve({ status: 'unhealthy', message: `timed out after ${entry.timeoutMs} ms` }),
            entry.timeoutMs,
          );
          timeout.unref();
        }),
      ]);
      result = validate(result);
    } catch (error) {
      result = {
        status: 'unhealthy',
        message: error instanceof Error ? error.message : String(error),
      };
    } finally {
      if (timeout) clearTimeout(timeout);
    }
    // The check may have been replaced while it ran; only record results for the current one.
    if (this.checks.get(entry.name) !== entry) return;
    entry.report = {
      name: entry.name,
      critical: entry.critical,
      status: result.status,
      ...(result.message === undefined ? {} : { message: result.message }),
      ...(result.details === undefined ? {} : { details: result.details }),
      checkedAt: new Date(this.now()).toISOString(),
      durationMs: this.now() - started,
    };
  }
}

function validate(result: HealthCheckResult): HealthCheckResult {
  if (
    result === null ||
    typeof result !== 'object' ||
    !['healthy', 'degraded', 'unhealthy'].includes(result.status)
  ) {
    return {
      status: 'unhealthy',
      message: `check returned an invalid result (expected { status: "healthy" | "degraded" | "unhealthy" })`,
    };
  }
  return result;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new TypeError(`HealthMonitor ${name} must be a positive number (got ${String(value)})`);
  }
  return value;
}
