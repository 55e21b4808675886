import preset from '../../jest.preset.js';

export default { ...preset, displayName: '@conduit/server', rootDir: import.meta.dirname };
