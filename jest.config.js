/** One jest run over every workspace package (each keeps its own jest.config.js for `pnpm --filter X test`). */
export default {
  projects: ['<rootDir>/packages/*/jest.config.js', '<rootDir>/apps/*/jest.config.js'],
};
