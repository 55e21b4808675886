// tenant-router.mjs: tags each request with its tenant and sends the "free" tenant to a cheap model.
export default function createTenantRouter(config) {
  const cheapRoute = config.cheapRoute ?? 'ollama,qwen2.5-coder:latest';
  const header = config.header ?? 'x-conduit-tenant';
  let routed = 0;

  return {
    name: 'tenant-router',
    version: '1.0.0',
    description: 'Sends the free tenant to a cheap model',

    validateConfig(pluginConfig) {
      const route = pluginConfig.cheapRoute;
      if (route !== undefined && (typeof route !== 'string' || !route.includes(','))) {
        return 'cheapRoute must be a "provider,model" string';
      }
      return true;
    },

    onLoad({ logger }) {
      logger.info('ready', { cheapRoute });
    },

    beforeRouting(context) {
      const tenant = context.headers?.[header] ?? 'anonymous';
      return { ...context, metadata: { ...context.metadata, tenant } };
    },

    customRouter(context) {
      if (context.metadata?.tenant !== 'free') return null;
      routed += 1;
      return cheapRoute;
    },

    afterRouting(decision, context) {
      return { ...decision, metadata: { ...decision.metadata, tenant: context.metadata?.tenant } };
    },

    getHealth() {
      return { status: 'healthy', message: `${routed} requests sent to ${cheapRoute}` };
    },

    onUnload() {
      routed = 0;
    },
  };
}
