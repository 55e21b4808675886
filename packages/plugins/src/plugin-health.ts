import type { PluginHealth } from '@conduit/core';
import type { LoadedPlugin } from './loaded-plugin.js';
import { describeError, describeValue } from './loading/instantiate-plugin.js';
import { isRecord } from './loading/normalize-plugin-entry.js';
import { runWithTimeout } from './run-with-timeout.js';

/** One plugin's line in the health output. */
export interface PluginHealthEntry {
  name: string;
  status: PluginHealth['status'];
  message?: string;
  details?: Record<string, unknown>;
}

/** The plugin section of the server's health output. */
export interface PluginHealthReport {
  /** `healthy` when every entry is healthy, otherwise `degraded` (plugins never take the gateway down). */
  status: 'healthy' | 'degraded';
  plugins: PluginHealthEntry[];
}

const healthStatuses: readonly string[] = ['healthy', 'degraded', 'unhealthy'];

/** Asks every loaded plugin for its health (in parallel, each with a timeout) and adds load failures. */
export async function collectPluginHealth({
  plugins,
  loadFailures,
  timeoutMs,
}: {
  plugins: readonly LoadedPlugin[];
  loadFailures: readonly { name: string; message: string }[];
  timeoutMs: number;
}): Promise<PluginHealthReport> {
  const loadedEntries = await Promise.all(plugins.map(loaded => healthOf(loaded, timeoutMs)));
  const failedEntries: PluginHealthEntry[] = loadFailures.map(failure => ({
    name: failure.name,
    status: 'unhealthy',
    message: failure.message,
  }));
  const entries = [...loadedEntries, ...failedEntries];
  return {
    status: entries.every(entry => entry.status === 'healthy') ? 'healthy' : 'degraded',
    plugins: entries,
  };
}

async function healthOf(loaded: LoadedPlugin, timeoutMs: number): Promise<PluginHealthEntry> {
  const { name, plugin } = loaded;
  if (loaded.disabled) {
    return {
      name,
      status: 'unhealthy',
      message: `disabled after repeated hook failures (last: ${loaded.lastFailure ?? 'unknown'})`,
    };
  }
  if (!plugin.getHealth) return { name, status: 'healthy' };
  try {
    const health: unknown = await runWithTimeout(() => plugin.getHealth?.(), {
      timeoutMs,
      label: `plugin "${name}" getHealth`,
    });
    if (isRecord(health) && health.status === undefined && typeof health.healthy === 'boolean') {
      // The seed plan's HealthStatus shape: `{ healthy, checks, uptime, startTime }`.
      return { name, status: health.healthy ? 'healthy' : 'unhealthy' };
    }
    if (!isRecord(health) || !healthStatuses.includes(health.status as string)) {
      return {
        name,
        status: 'unhealthy',
        message: `getHealth returned ${describeValue(health)}, expected { status: "healthy" | "degraded" | "unhealthy" } or { healthy: boolean }`,
      };
    }
    const entry: PluginHealthEntry = { name, status: health.status as PluginHealth['status'] };
    if (typeof health.message === 'string') entry.message = health.message;
    if (isRecord(health.details)) entry.details = health.details;
    return entry;
  } catch (error) {
    return { name, status: 'unhealthy', message: `getHealth failed: ${describeError(error)}` };
  }
}
