// ESM (.js under a "type": "module" package): the module's named exports are the plugin.
export const name = 'esm-module';
export const description = 'named exports form the plugin';

export function customRouter(context) {
  return context.request.model === 'module-route' ? 'module,routed' : null;
}
