/** The repository scripts' own tests (plain ESM, nothing to transform). */
export default {
  displayName: 'scripts',
  rootDir: import.meta.dirname,
  testEnvironment: 'node',
  transform: {},
  testMatch: ['<rootDir>/test/**/*.test.mjs'],
  testTimeout: 60000,
};
