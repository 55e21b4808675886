// ESM named export `plugin`.
export const plugin = {
  name: 'esm-named',
  afterRouting(decision) {
    return { metadata: { ...decision.metadata, esmNamed: true } };
  },
};
