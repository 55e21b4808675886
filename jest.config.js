/** One jest run over every workspace package (each keeps its own jest.config.js for `pnpm --filter X test`). */
export default {
  projects: [
    '<rootDir>/packages/*/jest.config.js',
    '<rootDir>/apps/*/jest.config.js',
    '<rootDir>/bench/jest.config.js',
    '<rootDir>/scripts/jest.config.js',
  ],
  // testTimeout is a global option: per-project values are ignored in a multi-project run. The CLI's
  // daemon tests spawn several processes in sequence, which takes time on a loaded 2-core machine.
  testTimeout: 120000,
};
