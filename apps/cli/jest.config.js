import preset from '../../jest.preset.js';

export default {
  ...preset,
  displayName: '@conduit/cli',
  rootDir: import.meta.dirname,
  // Most tests run the built bundle as a subprocess; build it first when sources changed.
  globalSetup: '<rootDir>/test/build-cli-if-stale.mjs',
};
