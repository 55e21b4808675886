import preset from '../../jest.preset.js';

export default {
  ...preset,
  displayName: '@conduit/ui',
  rootDir: import.meta.dirname,
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
