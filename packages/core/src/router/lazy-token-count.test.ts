import { describe, expect, it } from '@jest/globals';
import { getDefaultTokenCounter } from '../token-counter/token-counter.js';
import { createConduitRouter } from './conduit-router.js';
import { countedTextBytes, defineLazyTokenCount, tokenCountIfCounted } from './lazy-token-count.js';
import { baseRequest, routerTestConfig } from './test-router-setup.js';

/** Encodes performed by the process-wide counter (texts of 32+ characters miss its cache once). */
const defaultMisses = () => getDefaultTokenCounter().getCacheStats().misses;
const uniqueText = (words: number) =>
  `${Math.random().toString(36)} ${'lorem ipsum dolor sit amet '.repeat(words)}`;

describe('routing with the process-wide counter counts tokens only when needed', () => {
  it('decides a short request without encoding; decision.tokenCount is exact when read', async () => {
    const router = createConduitRouter(routerTestConfig);
    const text = uniqueText(20);
    const before = defaultMisses();
    const decision = await router.route({
      request: { ...baseRequest(), messages: [{ role: 'user', content: text }] },
    });
    expect(decision.reason).toBe('default');
    expect(defaultMisses()).toBe(before);
    expect(decision.tokenCount).toBe(getDefaultTokenCounter().countText(text));
    expect({ ...decision }.tokenCount).toBe(decision.tokenCount);
    expect(JSON.parse(JSON.stringify(decision)).tokenCount).toBe(decision.tokenCount);
  });

  it('counts a request the byte bound does not settle, and still routes it by its real count', async () => {
    const router = createConduitRouter({
      ...routerTestConfig,
      Router: { ...routerTestConfig.Router, longContextThreshold: 100 },
    });
    // 600+ bytes of text but far fewer tokens: the bound cannot decide, the count can.
    const repeated = 'aaaaaaaa'.repeat(80);
    const decision = await router.route({
      request: { ...baseRequest(), messages: [{ role: 'user', content: repeated }] },
    });
    expect(decision.tokenCount).toBeLessThanOrEqual(100);
    expect(decision.reason).toBe('default');
    const long = await router.route({
      request: { ...baseRequest(), messages: [{ role: 'user', content: uniqueText(40) }] },
    });
    expect(long.reason).toBe('longContext');
    expect(long.tokenCount).toBeGreaterThan(100);
  });

  it('counts at once for explain(), whose steps print the count', async () => {
    const router = createConduitRouter(routerTestConfig);
    const text = uniqueText(10);
    const before = defaultMisses();
    const { steps } = await router.explain({
      request: { ...baseRequest(), messages: [{ role: 'user', content: text }] },
    });
    expect(defaultMisses()).toBe(before + 1);
    const longContext = steps.find(step => step.rule === 'longContext');
    expect(longContext?.detail).toContain(`tokenCount ${getDefaultTokenCounter().countText(text)}`);
  });

  it('lets a caller overwrite decision.tokenCount', async () => {
    const decision = await createConduitRouter(routerTestConfig).route({ request: baseRequest() });
    decision.tokenCount = 42;
    expect(decision.tokenCount).toBe(42);
  });
});

describe('defineLazyTokenCount', () => {
  it('counts each object with its own count, once, and lets an inheriting object read it', () => {
    let counted = 0;
    const make = (value: number) =>
      defineLazyTokenCount({ provider: 'p', model: 'm' }, () => {
        counted++;
        return value;
      });
    const first = make(1);
    const second = make(2);
    expect(tokenCountIfCounted(first as never)).toBeUndefined();
    expect({ ...first }.tokenCount).toBe(1);
    expect(tokenCountIfCounted(first as never)).toBe(1);
    expect(counted).toBe(1);
    expect(second.tokenCount).toBe(2);
    expect(second.tokenCount).toBe(2);
    expect(counted).toBe(2);
    const child = Object.create(make(3)) as { tokenCount: number };
    expect(child.tokenCount).toBe(3);
    const assigned = make(4);
    assigned.tokenCount = 7;
    expect(assigned.tokenCount).toBe(7);
    expect(counted).toBe(3);
    expect(Object.keys(assigned)).toEqual(['provider', 'model', 'tokenCount']);
  });
});

describe('countedTextBytes', () => {
  it('sums the UTF-8 bytes of plain texts and gives up on JSON parts', () => {
    expect(countedTextBytes({ system: 'ab', messages: [{ role: 'user', content: 'é' }] })).toBe(4);
    expect(
      countedTextBytes({
        messages: [{ role: 'assistant', content: [{ type: 'tool_use', input: { a: 1 } }] }],
      }),
    ).toBeUndefined();
  });
});
