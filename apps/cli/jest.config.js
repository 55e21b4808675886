import preset from '../../jest.preset.js';

export default { ...preset, displayName: '@conduit/cli', rootDir: import.meta.dirname };
