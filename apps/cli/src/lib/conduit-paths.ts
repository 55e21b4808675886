import { join } from 'node:path';
import { resolveConduitHome } from '@conduit/conduit/router';

/** Where Conduit keeps its state for one environment. */
export interface ConduitPaths {
  /** `$CONDUIT_HOME`, default `~/.conduit`. */
  home: string;
  /** `$CONDUIT_HOME/config.json`. */
  configFile: string;
  /** `$CONDUIT_HOME/conduit.pid`: JSON describing the running instance. */
  pidFile: string;
  /** `$CONDUIT_HOME/logs/`: rotating log files of the daemon. */
  logDirectory: string;
}

/** Resolves every path the CLI uses from the environment (`CONDUIT_HOME`, `HOME`). */
export function resolveConduitPaths(env: NodeJS.ProcessEnv = process.env): ConduitPaths {
  const home = resolveConduitHome(env);
  return {
    home,
    configFile: join(home, 'config.json'),
    pidFile: join(home, 'conduit.pid'),
    logDirectory: join(home, 'logs'),
  };
}
