import preset from '../../jest.preset.js';

export default {
  ...preset,
  displayName: '@conduit/ui',
  rootDir: import.meta.dirname,
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // The tests serve the built browser client; build it first when its sources changed.
  globalSetup: '<rootDir>/test/build-client-if-stale.mjs',
  // The browser test drives Chromium against a live gateway; a loaded 2-core machine is slow.
  testTimeout: 60000,
};
