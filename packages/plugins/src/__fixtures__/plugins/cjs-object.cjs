// CommonJS: module.exports is the plugin object.
module.exports = {
  name: 'cjs-object',
  afterRouting(decision) {
    return { ...decision, metadata: { ...decision.metadata, cjsObject: true } };
  },
  getHealth() {
    return { status: 'healthy', message: 'cjs ok' };
  },
};
