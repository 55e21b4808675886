import { defineConfig } from 'tsup';

/** The server side (routes, APIs); the browser client is built by scripts/build-client.mjs. */
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: false,
  shims: true,
  target: 'node20',
});
