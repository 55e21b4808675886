import preset from '../../jest.preset.js';

export default { ...preset, displayName: '@conduit/fleet', rootDir: import.meta.dirname };
