/**
 * Node's own `Request` and `Response`, reached without loading them before they are needed.
 *
 * Node 20 defines `globalThis.Request`, `Response` and `Headers` as getters that load its built-in
 * undici on first read (about 5 MB of heap and 30 ms). The node adapter puts its light `Response`
 * in the global's place and a `Request` that accepts its light requests, so Hono's `c.json()` and a
 * `GET /health` never read them; the real classes are read here, once something needs one.
 */

type WebClassName = 'Request' | 'Response';

type Originals = Record<WebClassName, PropertyDescriptor | undefined>;
const originalsKey = Symbol.for('conduit.server.nativeWebGlobals');

// Captured at the first import, before any adapter replaces them: the lazy getters, or the classes
// if loaded. Kept on `globalThis` so a second copy of this module (the ESM and the CJS build in one
// process) finds Node's own, not the first copy's replacement.
const originals: Originals = ((globalThis as Record<symbol, unknown>)[originalsKey] as
  | Originals
  | undefined) ?? {
  Request: Object.getOwnPropertyDescriptor(globalThis, 'Request'),
  Response: Object.getOwnPropertyDescriptor(globalThis, 'Response'),
};
Object.defineProperty(globalThis, originalsKey, { value: originals, configurable: true });
const resolved: { Request?: typeof Request; Response?: typeof Response } = {};
/** What this module put in the globals' place. */
const installed: Partial<Record<WebClassName, PropertyDescriptor>> = {};

/** Node's own class (loading undici on first call). */
export function nativeWebClass<Name extends WebClassName>(name: Name): (typeof globalThis)[Name] {
  let value = resolved[name];
  if (!value) {
    const original = originals[name];
    const current = Object.getOwnPropertyDescriptor(globalThis, name);
    // Node's lazy getter redefines the global as the value it loaded: put back what was there.
    value = (original?.get ? original.get.call(globalThis) : original?.value) as typeof value;
    if (!value) throw new TypeError(`This Node.js has no global ${name}`);
    resolved[name] = value as never;
    if (current && current.get !== original?.get) Object.defineProperty(globalThis, name, current);
  }
  return value as (typeof globalThis)[Name];
}

/** Puts `descriptor` in place of the global `name` (the real class stays reachable above). */
export function replaceWebGlobal(name: WebClassName, descriptor: PropertyDescriptor): void {
  const full = { configurable: true, enumerable: false, ...descriptor };
  installed[name] = full;
  Object.defineProperty(globalThis, name, full);
}

/** Whether `name` is replaced (so installing twice is a no-op). */
export function isWebGlobalReplaced(name: WebClassName): boolean {
  return installed[name] !== undefined;
}
