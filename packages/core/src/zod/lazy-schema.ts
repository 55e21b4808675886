/**
 * An object that stands for `create()`'s result and creates it on first use: every property read,
 * `in`, key listing, `instanceof` and prototype lookup goes to the real object. The exported zod
 * schemas are these, so importing `@conduit/core` does not load zod (see `load-zod.ts`); zod's
 * methods close over their own schema, so `schema.safeParse(…)`, `.extend(…)`, `.toJSONSchema()`
 * and composing the schema into another one behave as on the real schema.
 */
export function lazySchema<Schema extends object>(create: () => Schema): Schema {
  let real: Schema | undefined;
  const target = (): Schema => {
    real ??= create();
    return real;
  };
  return new Proxy({} as Schema, {
    get: (_, key) => Reflect.get(target(), key),
    set: (_, key, value) => Reflect.set(target(), key, value),
    has: (_, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
      // The proxy's own (empty) target cannot hold non-configurable properties.
      return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
    },
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(target(), key, descriptor),
    deleteProperty: (_, key) => Reflect.deleteProperty(target(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(target()),
  });
}
