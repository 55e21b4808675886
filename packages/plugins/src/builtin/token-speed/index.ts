/**
 * `token-speed`: accepted for claude-code-router v2 configs (`plugins: [{ name: "token-speed" }]`).
 * Output speed is measured from the response stream, which routing hooks never see;
 * `@conduit/monitoring` records it for every streamed answer in the Prometheus histogram
 * `conduit_output_tokens_per_second{provider,model}` on `/metrics`. This plugin keeps such configs
 * loading and says where the numbers are.
 * @module
 */
import type { ConduitPlugin, PluginLoadContext } from '@conduit/core';

/** Creates the `token-speed` compatibility plugin (its CCR options are accepted and ignored). */
export function createTokenSpeedPlugin(config: Record<string, unknown>): ConduitPlugin {
  return {
    name: 'token-speed',
    description: 'CCR v2 compatibility: output tokens/s is recorded by @conduit/monitoring metrics',
    onLoad(context: PluginLoadContext) {
      context.logger.info(
        'token-speed is recorded by @conduit/monitoring metrics (conduit_output_tokens_per_second on /metrics); this entry is kept for CCR compatibility',
        {
          ignoredOptions: Object.keys(config),
        },
      );
    },
    getHealth: () => ({
      status: 'healthy',
      message: 'token speed is reported by @conduit/monitoring as conduit_output_tokens_per_second',
    }),
  };
}
