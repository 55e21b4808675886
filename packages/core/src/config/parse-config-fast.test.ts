import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { seededRandom } from '../test-seeded-random.js';
import { conduitConfigSchema } from './config-schema.js';
import { parseConfigFast } from './parse-config-fast.js';
import { builtInPresets } from './presets/index.js';

/** Serialized with every object's keys in order, so key order counts in the comparison. */
const text = (value: unknown) => JSON.stringify(value);

const readFixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));

/** The fast check gives zod's result exactly (key order and `undefined` members included), or nothing. */
function compareWithZod(config: unknown): { fast: boolean; zod: boolean } {
  const fast = parseConfigFast(config);
  const reference = conduitConfigSchema.safeParse(config);
  if (fast !== undefined) {
    expect(reference.success).toBe(true);
    expect(text(fast)).toBe(text(reference.data));
    expect(fast).toStrictEqual(reference.data);
  }
  return { fast: fast !== undefined, zod: reference.success };
}

const bases: Array<[string, Record<string, unknown>]> = [
  ['every section', readFixture('every-section-config.json')],
  ['a CCR config with transformers', readFixture('ccr-transformers-config.json')],
  ...Object.entries(builtInPresets).map(([name, preset]): [string, Record<string, unknown>] => [
    `the ${name} preset`,
    preset as Record<string, unknown>,
  ]),
  ['an empty config', {}],
  [
    "the seed plan's library config",
    {
      Providers: [
        {
          name: 'mock-openai',
          api_base_url: 'http://127.0.0.1:9/v1/chat/completions',
          api_key: 'sk-bench',
          models: ['mock-model'],
        },
      ],
      Router: { default: 'mock-openai,mock-model' },
    },
  ],
];

/** Values that break some rule somewhere: wrong types, empty strings, numbers out of range. */
const replacements: unknown[] = [
  null,
  '',
  'x',
  'use-soonest',
  'gt',
  'file',
  'debug',
  'all',
  0,
  -1,
  1.5,
  65535,
  65536,
  2 ** 53,
  true,
  false,
  [],
  {},
  ['x'],
  [''],
  [1],
  ['t', { a: 1 }],
  [['t', { a: 1 }]],
  [['t']],
  [['t', {}, 1]],
  [{}],
  [{ field: 'model', operator: 'eq', value: 'm' }],
  [{ name: 'n' }],
  [{ name: 'n', route: 'a,b' }],
  [{ id: 'i', route: 'a,b', target: 'c,d' }],
  { use: ['t'] },
  { use: 't' },
  { model: { use: [''] } },
  { model: 'x' },
  { enabled: false },
  { input: 1 },
  { input: 1, output: -1 },
  { a: { input: 1, output: 2 } },
];

type Mutable = Record<string, unknown> | unknown[];

/** A copy made in this realm (`structuredClone` builds objects of Node's own realm, not jest's). */
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Every object and array inside `value`, with `value` itself. */
function containers(value: unknown, found: Mutable[] = []): Mutable[] {
  if (Array.isArray(value)) {
    found.push(value);
    for (const element of value) containers(element, found);
  } else if (value !== null && typeof value === 'object') {
    found.push(value as Record<string, unknown>);
    for (const member of Object.values(value)) containers(member, found);
  }
  return found;
}

/** A copy of `config` with a few random edits: a value replaced, a key dropped or added, keys reordered. */
function mutate(config: unknown, random: () => number): unknown {
  const copy = clone(config);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const edits = 1 + Math.floor(random() * 3);
  for (let edit = 0; edit < edits; edit++) {
    const container = pick(containers(copy));
    const keys = Object.keys(container);
    const action = random();
    if (keys.length > 0 && action < 0.5) {
      const key = pick(keys);
      (container as Record<string, unknown>)[key] = clone(pick(replacements));
    } else if (keys.length > 0 && action < 0.7) {
      const key = pick(keys);
      if (Array.isArray(container)) container.splice(Number(key), 1);
      else delete container[key];
    } else if (!Array.isArray(container) && action < 0.85) {
      container[pick(['extra', 'enabled', 'use', 'name', 'model-x', '1'])] = clone(
        pick(replacements),
      );
    } else if (!Array.isArray(container)) {
      const entries = Object.entries(container).sort(() => random() - 0.5);
      for (const key of Object.keys(container)) delete container[key];
      Object.assign(container, Object.fromEntries(entries));
    }
  }
  return copy;
}

describe('parseConfigFast', () => {
  it.each(bases)('gives what zod gives on %s, without zod', (_, config) => {
    expect(compareWithZod(config)).toEqual({ fast: true, zod: true });
  });

  it('accepts exactly what zod accepts on generated configs, with the same result', () => {
    const random = seededRandom(20);
    let accepted = 0;
    let refused = 0;
    for (let run = 0; run < 4000; run++) {
      const [, base] = bases[run % bases.length] as [string, Record<string, unknown>];
      const config = mutate(base, random);
      const { fast, zod } = compareWithZod(config);
      // JSON configs (no `undefined`, no symbols) never need zod to be accepted.
      expect({ config, fast }).toEqual({ config, fast: zod });
      if (zod) accepted++;
      else refused++;
    }
    // Both sides of the boundary are exercised.
    expect(accepted).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(500);
  });

  it.each<[string, unknown]>([
    [
      'undefined members',
      { Providers: undefined, APIKEY: undefined, Router: { default: undefined } },
    ],
    [
      'an undefined optional member of a provider',
      { Providers: [{ name: 'p', api_base_url: 'u', api_key: undefined, tokenizer: undefined }] },
    ],
    ['boolean health checks', { server: { healthCheck: true, gracefulShutdown: false } }],
    ['a null-prototype config', Object.assign(Object.create(null), { Router: { default: 'a,b' } })],
    ['numbers zod refuses', { PORT: Number.NaN }],
    ['infinite numbers', { API_TIMEOUT_MS: Number.POSITIVE_INFINITY }],
    ['a large unsafe integer', { server: { bodyLimit: 2 ** 60 } }],
    ['an undefined record value', { fleet: { keys: undefined } }],
    ['a symbol key', { [Symbol('s')]: 1, Router: {} }],
    ['a class instance', { Router: new (class Router {})() }],
    ['a date as a record', { synapse: new Date(0) }],
  ])('gives what zod gives, or leaves it to zod, on %s', (_, config) => {
    compareWithZod(config);
  });

  it('returns new objects and arrays (a parse result never aliases the input sections)', () => {
    const config = readFixture('every-section-config.json');
    const parsed = parseConfigFast(config) as Record<string, unknown>;
    expect(parsed.Providers).not.toBe(config.Providers);
    expect(parsed.Router).not.toBe(config.Router);
    expect(parseConfigFast({})?.Providers).not.toBe(parseConfigFast({})?.Providers);
  });
});
