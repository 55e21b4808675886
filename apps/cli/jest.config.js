import preset from '../../jest.preset.js';

export default {
  ...preset,
  displayName: '@conduit/cli',
  rootDir: import.meta.dirname,
  // Most tests run the built bundle as a subprocess; build it first when sources changed.
  globalSetup: '<rootDir>/test/build-cli-if-stale.mjs',
  // Daemon tests spawn several processes in sequence; on a loaded 2-core machine that takes time.
  testTimeout: 120000,
};
