import preset from '../../jest.preset.js';

export default { ...preset, displayName: '@conduit/core', rootDir: import.meta.dirname };
