import preset from '../../jest.preset.js';

export default { ...preset, displayName: '@conduit/synapse', rootDir: import.meta.dirname };
