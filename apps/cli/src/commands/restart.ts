import type { CommandModule } from 'yargs';
import { resolveConduitPaths } from '../lib/conduit-paths.js';
import type { GlobalOptions } from '../lib/global-options.js';
import { loadCliConfig } from '../lib/load-cli-config.js';
import { readInstanceState } from '../lib/pid-file.js';
import { startDaemon } from './start.js';
import { stopAndReport } from './stop.js';

export interface RestartArguments extends GlobalOptions {
  port?: number;
  host?: string;
  timeout: number;
}

/**
 * `conduit restart`: stop (if running) and start in the background. Keeps the running instance's
 * port, host and config file unless flags override them.
 */
export const restartCommand: CommandModule<GlobalOptions, RestartArguments> = {
  command: 'restart',
  describe: 'Restart the gateway in the background (keeps its port, host and config)',
  builder: yargs =>
    yargs
      .option('port', {
        alias: 'p',
        type: 'number',
        describe: 'Port (default: the running instance’s)',
      })
      .option('host', { type: 'string', describe: 'Address (default: the running instance’s)' })
      .option('timeout', {
        type: 'number',
        default: 35,
        describe: 'Seconds to wait for the old instance to stop gracefully',
      }),
  handler: async argv => {
    const state = await readInstanceState(resolveConduitPaths(process.env).pidFile);
    const previous = state.state === 'running' ? state.info : null;
    const configPath = argv.config ?? previous?.configPath ?? undefined;
    // Check the config before stopping, so a broken edit does not leave Conduit down.
    await loadCliConfig({ configPath });
    await stopAndReport(argv.timeout);
    const address = await startDaemon({
      configPath,
      port: argv.port ?? previous?.port ?? undefined,
      host: argv.host ?? previous?.host,
    });
    process.stdout.write(
      `Conduit started in the background (PID ${address.pid}) at ${address.url}\n`,
    );
  },
};
