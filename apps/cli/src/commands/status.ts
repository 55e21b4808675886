import type { CommandModule } from 'yargs';
import { resolveConduitPaths } from '../lib/conduit-paths.js';
import { exitCodes } from '../lib/exit-codes.js';
import { requestExitCode } from '../lib/exit-status.js';
import { formatUptime } from '../lib/format-table.js';
import type { GlobalOptions } from '../lib/global-options.js';
import { baseURLFor, fetchHealth } from '../lib/http-health.js';
import { loadCliConfig } from '../lib/load-cli-config.js';
import { readInstanceState } from '../lib/pid-file.js';

export interface StatusArguments extends GlobalOptions {
  json: boolean;
}

/** What `conduit status --json` prints. */
export interface StatusReport {
  running: boolean;
  pid: number | null;
  url: string | null;
  host: string | null;
  port: number | null;
  startedAt: string | null;
  uptimeSeconds: number | null;
  version: string | null;
  mode: 'foreground' | 'daemon' | null;
  configPath: string | null;
  providers: string[];
  health: { reachable: boolean; status: number | null; body: unknown; error: string | null } | null;
  pidFile: string;
  stalePidFile: boolean;
}

/** Provider names, and the `APIKEY` that unlocks the detailed `/health` of a keyed gateway. */
async function readConfigFacts(
  configPath: string | undefined,
): Promise<{ providers: string[]; apiKey: string | undefined }> {
  try {
    const { config } = await loadCliConfig({ configPath });
    return {
      providers: config.Providers.map(
        provider => `${provider.name} (${provider.models.join(', ') || 'no models'})`,
      ),
      apiKey: config.APIKEY || undefined,
    };
  } catch {
    return { providers: [], apiKey: undefined };
  }
}

/** Collects the status of the instance named by the PID file, asking its `/health`. */
export async function collectStatus(configPath?: string): Promise<StatusReport> {
  const { pidFile } = resolveConduitPaths(process.env);
  const state = await readInstanceState(pidFile);
  const empty: StatusReport = {
    running: false,
    pid: null,
    url: null,
    host: null,
    port: null,
    startedAt: null,
    uptimeSeconds: null,
    version: null,
    mode: null,
    configPath: null,
    providers: [],
    health: null,
    pidFile,
    stalePidFile: false,
  };
  if (state.state !== 'running') return { ...empty, stalePidFile: state.state === 'stale' };
  const { info } = state;
  const url = info.port === null ? null : baseURLFor(info.host, info.port);
  const facts = await readConfigFacts(configPath ?? info.configPath ?? undefined);
  const health = url ? await fetchHealth(url, 2000, facts.apiKey) : null;
  const startedMs = Date.parse(info.startedAt);
  return {
    ...empty,
    running: true,
    pid: info.pid,
    url,
    host: info.host,
    port: info.port,
    startedAt: info.startedAt || null,
    uptimeSeconds: Number.isNaN(startedMs) ? null : Math.round((Date.now() - startedMs) / 1000),
    version: info.version,
    mode: info.mode,
    configPath: info.configPath,
    providers: facts.providers,
    health: health
      ? health.reachable
        ? { reachable: true, status: health.status, body: health.body, error: null }
        : { reachable: false, status: null, body: null, error: health.error }
      : null,
  };
}

function describeHealth(health: StatusReport['health']): string {
  if (!health) return 'unknown (still starting)';
  if (!health.reachable) return `unreachable (${health.error})`;
  const body = health.body as { status?: unknown } | null;
  const status =
    body && typeof body === 'object' && typeof body.status === 'string' ? body.status : null;
  return `${status ?? (health.status !== null && health.status < 300 ? 'ok' : 'failing')} (HTTP ${health.status})`;
}

/** `conduit status`: is it running, where, since when, with which providers, and is it healthy. */
export const statusCommand: CommandModule<GlobalOptions, StatusArguments> = {
  command: 'status',
  describe: 'Show whether the gateway runs: PID, address, uptime, version, providers, health',
  builder: yargs =>
    yargs.option('json', { type: 'boolean', default: false, describe: 'Print JSON for scripts' }),
  handler: async argv => {
    const report = await collectStatus(argv.config);
    if (!report.running) requestExitCode(exitCodes.notRunning);
    if (argv.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return;
    }
    if (!report.running) {
      process.stdout.write(
        `Conduit is not running${report.stalePidFile ? ' (a stale PID file was found)' : ''}\nStart it with: conduit start --daemon\n`,
      );
      return;
    }
    const lines = [
      'Conduit is running',
      `  PID:        ${report.pid} (${report.mode})`,
      `  Address:    ${report.url ?? 'starting'}`,
      `  Uptime:     ${report.uptimeSeconds === null ? 'unknown' : formatUptime(report.uptimeSeconds)}`,
      `  Version:    ${report.version}`,
      `  Config:     ${report.configPath ?? 'none (defaults)'}`,
      `  Providers:  ${report.providers.length > 0 ? report.providers.join('; ') : 'none configured'}`,
      `  Health:     ${describeHealth(report.health)}`,
      `  PID file:   ${report.pidFile}`,
    ];
    const body = report.health?.body as { warnings?: unknown } | null | undefined;
    if (body && Array.isArray(body.warnings)) {
      for (const warning of body.warnings) lines.push(`  Warning:    ${String(warning)}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
