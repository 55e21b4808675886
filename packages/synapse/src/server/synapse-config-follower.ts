import type { ParsedConduitConfig, Logger } from '@conduit/core';

/**
 * Keeps Synapse (its plugin settings, the other plugins, the budget cache) on the config the
 * gateway serves. The server reloads its config file by itself (`server.watchConfig`) and tells
 * nobody, so Synapse checks before routing each request whether the config object changed, and
 * applies a new one once (concurrent requests wait for the same application).
 */
export class SynapseConfigFollower {
  private applied: ParsedConduitConfig;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly options: {
      initial: ParsedConduitConfig;
      getConfig(): ParsedConduitConfig;
      /** Applies a config to Synapse. @throws ConfigError when Synapse cannot work with it. */
      apply(config: ParsedConduitConfig): Promise<void>;
      logger: Logger;
    },
  ) {
    this.applied = options.initial;
  }

  /**
   * Applies the gateway's current config if Synapse has not seen it yet. A config Synapse cannot
   * use is logged and skipped: Synapse keeps its previous settings and requests keep flowing.
   */
  async sync(): Promise<void> {
    for (;;) {
      if (this.pending) {
        await this.pending;
        continue;
      }
      const current = this.options.getConfig();
      if (current === this.applied) return;
      this.pending = this.applyLogged(current).finally(() => {
        this.pending = undefined;
      });
    }
  }

  /**
   * Applies `config` now (after `updateConfig`), throwing what Synapse rejects.
   * @throws ConfigError from the Synapse plugin.
   */
  async applyNow(config: ParsedConduitConfig): Promise<void> {
    while (this.pending) await this.pending;
    this.applied = config;
    await this.options.apply(config);
  }

  private async applyLogged(config: ParsedConduitConfig): Promise<void> {
    this.applied = config;
    try {
      await this.options.apply(config);
      this.options.logger.info('synapse: applied the reloaded config');
    } catch (error) {
      this.options.logger.error(
        'synapse: the reloaded config cannot be applied; Synapse keeps its previous settings',
        { message: error instanceof Error ? error.message : String(error) },
      );
    }
  }
}
