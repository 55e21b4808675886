/**
 * Runs the gateway in this process until SIGTERM/SIGINT: claims the PID file, starts the server,
 * records the real address and, on a signal, stops the server gracefully and removes the PID file.
 * Used by `conduit start` in the foreground and by the detached daemon process.
 * @module
 */
import { CLIError } from './cli-error.js';
import { resolveConduitPaths } from './conduit-paths.js';
import {
  type ClosableLogger,
  createConsoleLogger,
  createFileLogger,
  type LogLevel,
} from './create-logger.js';
import { ConfigError } from '@conduit/conduit/router';
import {
  InsecureBindError,
  portFromEnvironment,
  resolveListenAddress,
} from '@conduit/conduit/server';
import { createGateway, type Gateway } from './create-gateway.js';
import { exitCodes } from './exit-codes.js';
import { baseURLFor } from './http-health.js';
import { formatIssuesForTerminal, loadCliConfig } from './load-cli-config.js';
import { acquirePidFile, type PidInfo, removePidFileIfOwned, updatePidFile } from './pid-file.js';
import { readProcessIdentity } from './process-identity.js';

import { conduitVersion } from './version.js';

export interface RunServerOptions {
  configPath?: string;
  port?: number;
  host?: string;
  /** `daemon`: log to `$CONDUIT_HOME/logs`, report readiness over IPC to the parent. */
  mode: 'foreground' | 'daemon';
  env?: NodeJS.ProcessEnv;
  /** Called once the server listens. */
  onReady?: (address: { url: string; port: number; host: string; pid: number }) => void;
}

/** Messages the daemon process sends to the `conduit start --daemon` that spawned it. */
export type DaemonMessage =
  | { type: 'ready'; pid: number; url: string; port: number; host: string }
  | { type: 'failed'; message: string; exitCode: number };

function findErrorCode(error: unknown): { code?: string; port?: number } {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const candidate = current as { code?: unknown; port?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && candidate.code.startsWith('E')) {
      return {
        code: candidate.code,
        port: typeof candidate.port === 'number' ? candidate.port : undefined,
      };
    }
    current = candidate.cause;
  }
  return {};
}

/**
 * Refuses an unusable `PORT` environment variable before anything starts (exit code 2, like a bad
 * config), so `start` and `start --daemon` report it the same way.
 */
export function assertPortEnvironment(env: NodeJS.ProcessEnv): void {
  try {
    portFromEnvironment(env);
  } catch (error) {
    if (!ConfigError.isInstance(error)) throw error;
    throw new CLIError({
      message: formatIssuesForTerminal(error.issues, 'the environment'),
      exitCode: exitCodes.invalidConfig,
      cause: error,
    });
  }
}

/** The PID file's record of this process's identity (see process-identity.ts). */
function withIdentity(pid: number): Pick<PidInfo, 'identity'> {
  const identity = readProcessIdentity(pid);
  return identity ? { identity } : {};
}

/**
 * Starts the gateway and resolves when it has been stopped by a signal (exit code 0). Throws a
 * {@link CLIError} for an invalid config (2), a running instance (4) or a port in use (1).
 */
export async function runServer(options: RunServerOptions): Promise<number> {
  const env = options.env ?? process.env;
  assertPortEnvironment(env);
  const loaded = await loadCliConfig({ configPath: options.configPath, env });
  const paths = resolveConduitPaths(env);
  const level: LogLevel =
    loaded.config.LOG === false ? 'silent' : (loaded.config.LOG_LEVEL ?? 'info');
  const logger: ClosableLogger =
    options.mode === 'daemon'
      ? await createFileLogger({ directory: paths.logDirectory, level })
      : createConsoleLogger(level === 'silent' ? 'warn' : level);

  const info: PidInfo = {
    pid: process.pid,
    port: null,
    host: options.host ?? loaded.config.server.host ?? loaded.config.HOST ?? '127.0.0.1',
    startedAt: new Date().toISOString(),
    version: conduitVersion,
    configPath: loaded.path,
    mode: options.mode,
    ...withIdentity(process.pid),
  };
  const { removedStale } = await acquirePidFile(paths.pidFile, info).catch(async error => {
    await logger.close();
    throw error;
  });
  if (removedStale)
    logger.warn('removed a stale PID file left by a process that is gone', {
      pidFile: paths.pidFile,
    });

  let server: Gateway;
  try {
    server = await createGateway(loaded.config, {
      configPath: loaded.path ?? undefined,
      logger,
      home: paths.home,
    });
  } catch (error) {
    await removePidFileIfOwned(paths.pidFile, process.pid);
    await logger.close();
    // The server adds its own checks (e.g. transformer names): same exit code as core's.
    if (ConfigError.isInstance(error)) {
      throw new CLIError({
        message: formatIssuesForTerminal(error.issues, loaded.path),
        exitCode: exitCodes.invalidConfig,
        cause: error,
      });
    }
    throw error;
  }
  let address: { url: string; port: number; host: string };
  try {
    address = await server.start({ port: options.port, host: options.host });
  } catch (error) {
    await removePidFileIfOwned(paths.pidFile, process.pid);
    await server.stop().catch(() => {});
    await logger.close();
    if (InsecureBindError.isInstance(error)) {
      throw new CLIError({
        message: error.message,
        exitCode: exitCodes.invalidConfig,
        cause: error,
      });
    }
    const { code, port } = findErrorCode(error);
    const shownPort = port ?? resolveListenAddress({ port: options.port }, loaded.config, env).port;
    if (code === 'EADDRINUSE') {
      throw new CLIError({
        message: `port ${shownPort} is in use by another process; stop it or use --port`,
        cause: error,
      });
    }
    if (code === 'EACCES') {
      throw new CLIError({
        message: `not allowed to listen on port ${shownPort}; use a port above 1023 with --port`,
        cause: error,
      });
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new CLIError({
        message: `cannot listen on host ${info.host}: it is not an address of this machine; use --host`,
        cause: error,
      });
    }
    throw error;
  }

  await updatePidFile(paths.pidFile, { ...info, port: address.port, host: address.host });
  const url = baseURLFor(address.host, address.port);
  logger.info('conduit started', {
    url,
    pid: process.pid,
    config: loaded.path,
    version: conduitVersion,
  });
  options.onReady?.({ url, port: address.port, host: address.host, pid: process.pid });

  return new Promise<number>(resolve => {
    let stopping = false;
    const shutdown = async (signal: NodeJS.Signals) => {
      if (stopping) {
        // A second Ctrl-C: the user does not want to wait for in-flight requests.
        logger.warn(`received ${signal} again; exiting without waiting`);
        await removePidFileIfOwned(paths.pidFile, process.pid).catch(() => {});
        process.exit(exitCodes.failure);
      }
      stopping = true;
      logger.info(`received ${signal}; stopping gracefully`);
      let exitCode: number = exitCodes.success;
      try {
        await server.stop();
      } catch (error) {
        logger.error('error while stopping the server', { error });
        exitCode = exitCodes.failure;
      }
      await removePidFileIfOwned(paths.pidFile, process.pid).catch(() => {});
      logger.info('conduit stopped');
      await logger.close();
      process.off('SIGTERM', shutdown);
      process.off('SIGINT', shutdown);
      resolve(exitCode);
    };
    process.on('SIGTERM', shutdown);
    process.on('SIGINT', shutdown);
  });
}
