/**
 * The `Router` slots a Synapse mapping may name: a module of its own, so the schema builder
 * (`synapse-schemas-definitions.ts`) and the public `synapse-schemas.ts` share it without a cycle.
 * @module
 */

/** The `Router` slots a Synapse mapping may name instead of a `provider,model`. */
export const routeSlots = [
  'default',
  'background',
  'think',
  'longContext',
  'webSearch',
  'image',
] as const;

/** One of {@link routeSlots}. */
export type RouteSlot = (typeof routeSlots)[number];

/** True for a `Router` slot name (`think`, `longContext`, ...). */
export function isRouteSlot(value: string): value is RouteSlot {
  return (routeSlots as readonly string[]).includes(value);
}
