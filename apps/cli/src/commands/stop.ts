import type { CommandModule } from 'yargs';
import { stopInstance } from '../lib/daemon.js';
import type { GlobalOptions } from '../lib/global-options.js';

export interface StopArguments extends GlobalOptions {
  timeout: number;
}

/** Stops the running instance and prints what happened; returns whether one was running. */
export async function stopAndReport(timeoutSeconds: number): Promise<boolean> {
  const result = await stopInstance({ timeoutMs: timeoutSeconds * 1000 });
  if (result.outcome === 'not-running') {
    process.stdout.write('Conduit is not running\n');
    return false;
  }
  if (result.outcome === 'stale') {
    const pid = result.info ? ` (PID ${result.info.pid})` : '';
    process.stdout.write(`Conduit is not running; removed a stale PID file${pid}\n`);
    return false;
  }
  process.stdout.write(
    result.forced
      ? `Conduit (PID ${result.info.pid}) did not stop within ${timeoutSeconds} s and was killed\n`
      : `Conduit stopped (PID ${result.info.pid})\n`,
  );
  return true;
}

/** `conduit stop`: graceful stop of the running instance (SIGTERM, then SIGKILL after --timeout). */
export const stopCommand: CommandModule<GlobalOptions, StopArguments> = {
  command: 'stop',
  describe: 'Stop the running gateway (waits for in-flight requests)',
  builder: yargs =>
    yargs.option('timeout', {
      type: 'number',
      default: 35,
      describe: 'Seconds to wait for a graceful stop before killing the process',
    }),
  handler: async argv => {
    await stopAndReport(argv.timeout);
  },
};
