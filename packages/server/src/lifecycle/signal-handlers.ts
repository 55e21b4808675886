import type { Logger } from '@conduit/core';

/** Options of {@link installSignalHandlers}. */
export interface SignalHandlerOptions {
  stop(): Promise<void>;
  logger: Logger;
  /** Replaced in tests; default `process.exit`. */
  exit?: (code: number) => void;
  signals?: NodeJS.Signals[];
}

/**
 * SIGTERM/SIGINT → `stop()` then exit 0 (1 if stopping failed). A second signal exits at once with
 * 1: the user does not want to wait for in-flight requests. Returns a function that removes the
 * handlers. Only `run()` installs these; library users keep control of their process.
 */
export function installSignalHandlers(options: SignalHandlerOptions): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) {
      options.logger.warn(`received ${signal} again; exiting without waiting`);
      exit(1);
      return;
    }
    stopping = true;
    options.logger.info(`received ${signal}; stopping gracefully`);
    options.stop().then(
      () => {
        options.logger.info('conduit stopped');
        exit(0);
      },
      error => {
        options.logger.error('error while stopping', {
          message: error instanceof Error ? error.message : String(error),
        });
        exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}
