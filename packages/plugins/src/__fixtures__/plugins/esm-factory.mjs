// ESM default export: a factory (config) => plugin. Records lifecycle calls into config.events.
export default function createPlugin(config) {
  const events = config.events ?? [];
  return {
    name: 'esm-factory',
    version: '1.2.3',
    onLoad(context) {
      events.push(`onLoad:${context.config.label ?? 'esm-factory'}`);
    },
    onUnload() {
      events.push('onUnload:esm-factory');
    },
    beforeRouting(context) {
      const trail = [...(context.metadata?.trail ?? []), 'esm-factory'];
      return { ...context, metadata: { ...context.metadata, trail } };
    },
    customRouter() {
      return config.route ?? null;
    },
  };
}
