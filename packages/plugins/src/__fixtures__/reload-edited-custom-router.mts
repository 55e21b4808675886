// Run by custom-router.test.ts in a real Node process (Jest's module registry ignores cache
// busting): loads a CCR CUSTOM_ROUTER_PATH script (CommonJS, and an ESM one), edits both, reloads
// the way a config hot reload does, and prints what each router answered before and after.
import { writeFileSync } from 'node:fs';
import { PluginManager, pluginConfigsFromConduitConfig } from '../index.js';

const directory = process.argv[2];
const write = (route: string) => {
  writeFileSync(
    `${directory}/custom-router.js`,
    `module.exports = async function router(req, config) { return '${route}'; };\n`,
  );
  writeFileSync(
    `${directory}/custom-router.mjs`,
    `export default async function router(req, config) { return '${route}'; }\n`,
  );
};
const answer = async (path: string, reload: boolean) => {
  const config = { CUSTOM_ROUTER_PATH: path };
  const entries = pluginConfigsFromConduitConfig(config, { baseDir: directory });
  if (reload) await manager.reload(entries);
  else await manager.loadPlugins(entries);
  const [loaded] = manager.getLoadedPlugins();
  return loaded?.plugin.customRouter?.({ request: {}, headers: {}, metadata: {} } as never);
};

const manager = new PluginManager({ baseDir: directory });
write('first,model');
const before = [await answer('./custom-router.js', false)];
await manager.reload([]);
before.push(await answer('./custom-router.mjs', true));
write('second,model');
const after = [await answer('./custom-router.js', true), await answer('./custom-router.mjs', true)];
await manager.cleanup();
console.log(JSON.stringify({ before, after }));
