// Run by load-sources.test.ts in a real Node process (Jest's module registry ignores cache busting):
// loads an ESM and a CommonJS plugin, edits both files, reloads, and prints what each answered.
import { writeFileSync } from 'node:fs';
import { PluginManager } from '../index.js';

const directory = process.argv[2];
const write = (route: string) => {
  writeFileSync(`${directory}/router.mjs`, `export default { name: 'esm', customRouter: () => '${route}' };\n`);
  writeFileSync(`${directory}/router.cjs`, `module.exports = { name: 'cjs', customRouter: () => '${route}' };\n`);
};
const entries = [
  { name: 'esm', path: 'router.mjs' },
  { name: 'cjs', path: 'router.cjs' },
];
const answers = () =>
  Promise.all(manager.getLoadedPlugins().map(loaded => loaded.plugin.customRouter?.({} as never)));

const manager = new PluginManager({ baseDir: directory });
write('first,model');
await manager.loadPlugins(entries);
const before = await answers();
write('second,model');
await manager.reload(entries);
const after = await answers();
await manager.cleanup();
console.log(JSON.stringify({ before, after }));
