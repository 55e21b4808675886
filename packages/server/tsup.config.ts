import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // undici is required on first use from `import.meta.url`: shimmed in CJS.
  shims: true,
  // The package ships `src/`, which the maps' `sources` point at: the maps need not carry a second
  // copy of every source file.
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
});
