import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    server: 'src/server.ts',
    router: 'src/router.ts',
    plugins: 'src/plugins.ts',
    synapse: 'src/synapse.ts',
    monitoring: 'src/monitoring.ts',
    ui: 'src/ui.ts',
    fleet: 'src/fleet.ts',
    start: 'src/start.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
