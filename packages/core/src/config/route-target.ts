import type { RouteTarget } from '../types/routing.js';

/**
 * Parses a `provider,model` route string. Splits on the FIRST comma, so model ids may themselves
 * contain commas, slashes or colons (`openrouter,anthropic/claude-sonnet-4`,
 * `ollama,qwen2.5-coder:latest`). Surrounding whitespace is trimmed.
 *
 * @returns the target, or null when there is no comma or either side is empty.
 * @example
 * parseRouteTarget('deepseek,deepseek-chat'); // { provider: 'deepseek', model: 'deepseek-chat' }
 */
export function parseRouteTarget(route: string): RouteTarget | null {
  if (typeof route !== 'string') return null;
  const commaIndex = route.indexOf(',');
  if (commaIndex === -1) return null;
  const provider = route.slice(0, commaIndex).trim();
  const model = route.slice(commaIndex + 1).trim();
  if (provider === '' || model === '') return null;
  return { provider, model };
}

/** Renders a target back into the `provider,model` form used in config files and requests. */
export function formatRouteTarget(target: RouteTarget): string {
  return `${target.provider},${target.model}`;
}
