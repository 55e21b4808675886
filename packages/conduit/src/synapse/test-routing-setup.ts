import {
  type ConduitConfigInput,
  ConduitRouter,
  type MessagesRequest,
  parseConfig,
  type RoutingContext,
} from '@conduit/core';
import { PluginManager, pluginConfigsFromConduitConfig } from '@conduit/plugins';
import { createSynapsePlugin, type SynapsePluginOptions } from '@conduit/synapse';
import { withSynapsePlugin } from '@conduit/synapse';

/** Providers and routes shared by the routing tests. */
export const testConfig: ConduitConfigInput = {
  Providers: [
    {
      name: 'anthropic',
      api_base_url: 'http://127.0.0.1:9/v1/messages',
      models: ['claude-sonnet-5', 'claude-opus-4-8', 'claude-haiku-4-5-20251001'],
    },
    {
      name: 'deepseek',
      api_base_url: 'http://127.0.0.1:9/chat/completions',
      models: ['deepseek-chat', 'deepseek-reasoner'],
    },
    {
      name: 'ollama',
      api_base_url: 'http://127.0.0.1:9/v1/chat/completions',
      models: ['qwen2.5-coder:latest'],
    },
  ],
  Router: {
    default: 'anthropic,claude-sonnet-5',
    think: 'deepseek,deepseek-reasoner',
    background: 'ollama,qwen2.5-coder:latest',
    longContext: 'anthropic,claude-opus-4-8',
    longContextThreshold: 60000,
  },
};

/** A router with the Synapse plugin loaded through a real PluginManager. */
export async function createTestRouter(
  configInput: ConduitConfigInput,
  options: Omit<SynapsePluginOptions, 'config'> = {},
) {
  const config = parseConfig(configInput);
  const plugin = createSynapsePlugin({ ...options, config });
  const manager = new PluginManager({
    conduitConfig: config,
  });
  const report = await manager.loadPlugins(
    withSynapsePlugin(pluginConfigsFromConduitConfig(config), plugin),
  );
  if (report.failed.length > 0) throw report.failed[0]!.error;
  const router = new ConduitRouter(config, { hooks: manager });
  return {
    config,
    plugin,
    manager,
    router,
    route: (context: Partial<RoutingContext> & { model?: string }) =>
      router.route({
        request: context.request ?? request(context.model ?? 'claude-sonnet-5'),
        ...(context.headers ? { headers: context.headers } : {}),
        ...(context.metadata ? { metadata: context.metadata } : {}),
        ...(context.tokenCount === undefined ? {} : { tokenCount: context.tokenCount }),
      }),
  };
}

/** A minimal Messages request. */
export function request(model: string, extra: Partial<MessagesRequest> = {}): MessagesRequest {
  return { model, max_tokens: 1024, messages: [{ role: 'user', content: 'hello' }], ...extra };
}
