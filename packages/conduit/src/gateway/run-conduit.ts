import { type RunOptions, run as runServer } from '@conduit/server';
import { type ConduitGateway, type ConduitOptions, createConduit } from './create-conduit.js';

/** Options of {@link runConduit}: the server's `run()` options plus the ledger's. */
export interface RunConduitOptions
  extends Omit<RunOptions<ConduitGateway>, 'createServer'>,
    Pick<ConduitOptions, 'home' | 'usage' | 'usageTracker' | 'metrics'> {}

/**
 * CCR-style start-up of the whole gateway (what `conduit start` runs): loads the config from
 * disk, wires it with {@link createConduit}, starts listening and, unless `handleSignals` is
 * false, stops gracefully on SIGTERM/SIGINT.
 */
export function runConduit(options: RunConduitOptions = {}): Promise<ConduitGateway> {
  const { home, usage, usageTracker, metrics, ...runOptions } = options;
  return runServer<ConduitGateway>({
    ...runOptions,
    createServer: (config, serverOptions) =>
      createConduit(config, {
        ...serverOptions,
        ...(home ? { home } : {}),
        ...(usage === false ? { usage } : {}),
        ...(usageTracker ? { usageTracker } : {}),
        ...(metrics ? { metrics } : {}),
      }),
  });
}
