import preset from '../../jest.preset.js';

export default {
  ...preset,
  displayName: '@conduit/synapse',
  rootDir: import.meta.dirname,
  // docs/examples imports the package by name, as a user would; map it to this package's source.
  moduleNameMapper: { ...preset.moduleNameMapper, '^@conduit/synapse$': '<rootDir>/src/index.ts' },
};
