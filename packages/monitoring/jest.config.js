import preset from '../../jest.preset.js';

export default { ...preset, displayName: '@conduit/monitoring', rootDir: import.meta.dirname };
