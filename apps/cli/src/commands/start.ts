import type { CommandModule } from 'yargs';
import { CLIError } from '../lib/cli-error.js';
import { resolveConduitPaths } from '../lib/conduit-paths.js';
import { exitCodes } from '../lib/exit-codes.js';
import { requestExitCode } from '../lib/exit-status.js';
import type { GlobalOptions } from '../lib/global-options.js';
import { loadCliConfig } from '../lib/load-cli-config.js';
import { alreadyRunningError, readInstanceState } from '../lib/pid-file.js';
import { assertPortEnvironment, type DaemonMessage, runServer } from '../lib/run-server.js';
import type { StartArguments } from '../start/start-arguments.js';

export type { StartArguments };

function sendToParent(message: DaemonMessage): void {
  if (process.send && process.connected) process.send(message);
}

/**
 * Starts Conduit in the background and prints where it listens. Shared by `start --daemon`,
 * `restart` and `code`.
 */
export async function startDaemon(options: {
  configPath?: string;
  port?: number;
  host?: string;
}): Promise<{ pid: number; url: string }> {
  const paths = resolveConduitPaths(process.env);
  const state = await readInstanceState(paths.pidFile);
  if (state.state === 'running') throw alreadyRunningError(state.info);
  // Validate in this process so an invalid config (or PORT) is reported here, with exit code 2.
  assertPortEnvironment(process.env);
  await loadCliConfig({ configPath: options.configPath });
  // Loaded here: the foreground gateway (and the daemon itself) never spawns, so it does not load
  // `node:child_process`.
  const { spawnDaemon } = await import('../lib/daemon.js');
  return spawnDaemon(options);
}

/**
 * `conduit start`: in the foreground until a signal, detached with `--daemon`, or (the hidden
 * `--daemon-child`) as the detached process itself. Also run without yargs, see `start/run-start.ts`.
 */
export async function runStartCommand(argv: StartArguments): Promise<void> {
  if (argv['daemon-child']) {
    try {
      const exitCode = await runServer({
        configPath: argv.config,
        port: argv.port,
        host: argv.host,
        mode: 'daemon',
        onReady: address => {
          sendToParent({ type: 'ready', ...address });
          if (process.connected) process.disconnect();
        },
      });
      requestExitCode(exitCode);
    } catch (error) {
      const exitCode = CLIError.isInstance(error) ? error.exitCode : exitCodes.failure;
      sendToParent({ type: 'failed', message: (error as Error).message, exitCode });
      throw error;
    }
    return;
  }
  if (argv.daemon) {
    const address = await startDaemon({
      configPath: argv.config,
      port: argv.port,
      host: argv.host,
    });
    process.stdout.write(
      `Conduit started in the background (PID ${address.pid}) at ${address.url}\n`,
    );
    return;
  }
  const exitCode = await runServer({
    configPath: argv.config,
    port: argv.port,
    host: argv.host,
    mode: 'foreground',
    onReady: address => {
      process.stdout.write(
        `Conduit listening on ${address.url} (PID ${address.pid}); Ctrl-C to stop\n`,
      );
    },
  });
  requestExitCode(exitCode);
}

/** `conduit start`: run the gateway (foreground by default, `--daemon` to detach). */
export const startCommand: CommandModule<GlobalOptions, StartArguments> = {
  command: 'start',
  describe: 'Start the gateway (foreground; --daemon to run in the background)',
  builder: yargs =>
    yargs
      .option('port', {
        alias: 'p',
        type: 'number',
        describe: 'Port to listen on (default: config server.port / PORT, env PORT, else 3456)',
      })
      .option('host', {
        type: 'string',
        describe: 'Address to listen on (default: config server.host / HOST, else 127.0.0.1)',
      })
      .option('daemon', {
        alias: 'd',
        type: 'boolean',
        default: false,
        describe: 'Run detached; PID in $CONDUIT_HOME/conduit.pid, logs in $CONDUIT_HOME/logs/',
      })
      .option('daemon-child', { type: 'boolean', hidden: true })
      .check(argv => {
        if (
          argv.port !== undefined &&
          (!Number.isInteger(argv.port) || argv.port < 0 || argv.port > 65535)
        ) {
          throw new Error(`--port must be an integer from 0 to 65535, got ${argv.port}`);
        }
        return true;
      })
      .example('$0 start', 'run in this terminal; Ctrl-C stops it')
      .example('$0 start --daemon --port 4000', 'run in the background on port 4000'),
  handler: argv => runStartCommand(argv),
};
