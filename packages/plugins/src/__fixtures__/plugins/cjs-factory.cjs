// CommonJS: module.exports is a factory; async factories are fine.
module.exports = async function createPlugin(config) {
  return {
    name: 'cjs-factory',
    customRouter(context) {
      return context.tokenCount > (config.threshold ?? 1000) ? config.route : null;
    },
  };
};
