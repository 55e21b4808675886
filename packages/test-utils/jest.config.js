import preset from '../../jest.preset.js';

export default { ...preset, displayName: '@conduit/test-utils', rootDir: import.meta.dirname };
