import preset from '../jest.preset.js';

export default { ...preset, displayName: '@conduit/bench', rootDir: import.meta.dirname };
