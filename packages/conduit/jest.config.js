import preset from '../../jest.preset.js';

export default { ...preset, displayName: '@conduit/conduit', rootDir: import.meta.dirname };
