/**
 * Routing without tokenizing. The router counts tokens exactly only when something needs the
 * number: a custom rule on `tokenCount`, a plugin hook reading `context.tokenCount`, `explain()`, a
 * long-context route the cheap bound below does not settle, or whoever reads
 * `decision.tokenCount` (computed then, once: the gateway reads it for `message_start`'s
 * `input_tokens` and its rate-limit estimate, so there it is the exact count as before). A
 * `cl100k_base` token is at least one byte of UTF-8, so the UTF-8 bytes of the texts the counter
 * would encode bound the count: a short request cannot be long-context.
 * @module
 */
import { forEachCountedText } from '../token-counter/request-texts.js';
import type { RoutingDecision } from '../types/routing.js';
import type { CompiledRule } from './custom-rules.js';

/**
 * The UTF-8 bytes of a request's counted texts (`forEachCountedText`) when they are all plain
 * strings, or `undefined` when it has JSON parts (tool schemas, tool inputs, structured tool
 * results): their bytes would cost a `JSON.stringify`, about what a warm count costs, so such a
 * request is counted instead. Tokens ≤ the result.
 */
export function countedTextBytes(request: unknown): number | undefined {
  let bytes = 0;
  let hasJSON = false;
  forEachCountedText(
    request,
    text => {
      bytes += Buffer.byteLength(text, 'utf8');
    },
    () => {
      hasJSON = true;
    },
    (prefix, text) => {
      // At least the joined text's bytes (a surrogate pair split across the two counts 6, not 4).
      bytes += Buffer.byteLength(prefix, 'utf8') + Buffer.byteLength(text, 'utf8');
    },
  );
  return hasJSON ? undefined : bytes;
}

/** Whether an enabled custom rule has a `tokenCount` condition (then rules need the count). */
export function rulesReadTokenCount(rules: readonly CompiledRule[]): boolean {
  return rules.some(
    ({ rule }) =>
      rule.enabled && rule.conditions.some(condition => condition.field === 'tokenCount'),
  );
}

/**
 * Whether the long-context rule is decided without the exact count: no long-context route, or a
 * byte bound at or below the threshold (and, for CCR's previous-turn trigger, at or below its
 * 20,000-token minimum when the previous turn was over the threshold).
 */
export function boundDecidesLongContext(options: {
  longContextRoute: string | undefined;
  threshold: number;
  previousContextTokens: number | undefined;
  previousTurnMinimumTokens: number;
  request: unknown;
}): { decided: boolean; upperBound?: number } {
  if (options.longContextRoute === undefined) return { decided: true };
  const previousOver =
    options.previousContextTokens !== undefined &&
    options.previousContextTokens > options.threshold;
  const limit = previousOver
    ? Math.min(options.threshold, options.previousTurnMinimumTokens)
    : options.threshold;
  const upperBound =
    typeof options.request === 'string'
      ? Buffer.byteLength(options.request, 'utf8')
      : countedTextBytes(options.request);
  if (upperBound === undefined) return { decided: false };
  return { decided: upperBound <= limit, upperBound };
}

/**
 * `decision.tokenCount` computed on first read (then a plain value): reading, spreading or
 * serializing the decision gives the exact count; a caller that never reads it never tokenizes.
 */
export function withLazyTokenCount(
  decision: Omit<RoutingDecision, 'tokenCount'>,
  count: () => number,
): RoutingDecision {
  return defineLazyTokenCount(decision, count);
}

/**
 * A decision's `tokenCount` if it is already known (given, counted for routing, or read before),
 * else `undefined`, without counting: for reports that show the number but must not tokenize
 * every request for it.
 */
export function tokenCountIfCounted(decision: RoutingDecision): number | undefined {
  const property = Object.getOwnPropertyDescriptor(decision, 'tokenCount');
  if (property && !property.get) return property.value as number;
  if (property?.get === lazyTokenCount.get) {
    const entry = tokenCounts.get(decision);
    return typeof entry === 'number' ? entry : undefined;
  }
  return property ? undefined : decision.tokenCount;
}

/**
 * Each object given a lazy `tokenCount`: the function that counts, until read or assigned, then
 * the number.
 */
const tokenCounts = new WeakMap<object, number | (() => number)>();

/**
 * One getter and one setter for every lazy `tokenCount`, and the property stays an accessor once
 * counted (the number is kept in `tokenCounts`). V8 gives objects whose accessors share the same
 * functions one shape; a closure per object gives each its own shape, and turning the accessor into
 * a data property on a shared shape deprecates that shape (about 130 µs per object in a loop).
 */
const lazyTokenCount = {
  get(this: object): number {
    // The object given the lazy count, or one that inherits from it.
    let holder: object | null = this;
    while (holder !== null && !tokenCounts.has(holder)) holder = Object.getPrototypeOf(holder);
    if (holder === null) return 0;
    const entry = tokenCounts.get(holder)!;
    if (typeof entry === 'number') return entry;
    const value = entry();
    tokenCounts.set(holder, value);
    return value;
  },
  set(this: object, value: number) {
    tokenCounts.set(this, value);
  },
  enumerable: true,
  configurable: true,
} satisfies PropertyDescriptor;

/**
 * Gives `target` a `tokenCount` computed on first read (the decision, or the context plugin hooks
 * see: a hook that reads `context.tokenCount` gets the exact count, one that does not costs none).
 * Spreading or serializing the object reads it, and gives a plain number.
 */
export function defineLazyTokenCount<T extends object>(
  target: T,
  count: () => number,
): T & { tokenCount: number } {
  tokenCounts.set(target, count);
  return Object.defineProperty(target, 'tokenCount', lazyTokenCount) as T & {
    tokenCount: number;
  };
}
