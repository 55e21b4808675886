import preset from '../../jest.preset.js';

export default { ...preset, displayName: '@conduit/plugins', rootDir: import.meta.dirname };
