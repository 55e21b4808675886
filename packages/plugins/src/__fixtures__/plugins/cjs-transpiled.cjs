// What TypeScript/Babel emit for `export default plugin` in CommonJS.
Object.defineProperty(exports, '__esModule', { value: true });
exports.default = {
  name: 'cjs-transpiled',
  beforeRouting(context) {
    return { ...context, metadata: { ...context.metadata, transpiled: true } };
  },
};
