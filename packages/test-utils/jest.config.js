import preset from '../../jest.preset.js';

export default {
  ...preset,
  displayName: '@conduit/test-utils',
  rootDir: import.meta.dirname,
  // docs/examples (tested by src/docs-examples.test.ts) import the packages by name, as users do;
  // map them to their source, and the SDK to this package's copy.
  moduleNameMapper: {
    ...preset.moduleNameMapper,
    '^@conduit/(core|monitoring|plugins|server|synapse)$': '<rootDir>/../$1/src/index.ts',
    '^@anthropic-ai/sdk$': '<rootDir>/node_modules/@anthropic-ai/sdk',
  },
};
