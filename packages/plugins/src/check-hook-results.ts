import type { CustomRouteResult, RoutingContext, RoutingDecision } from '@conduit/core';
import { describeValue } from './loading/instantiate-plugin.js';
import { isRecord } from './loading/normalize-plugin-entry.js';

/** Thrown (and caught by the manager) when a hook answers with a value of the wrong shape. */
export class MalformedHookResultError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedHookResultError';
  }
}

/** A `beforeRouting` answer: the (new) context, or nothing to keep the draft it was given. */
export function checkRoutingContext(value: unknown, draft: RoutingContext): RoutingContext {
  if (value === undefined || value === null) return draft;
  assertRoutingContextShape(value);
  return value;
}

/**
 * The checks a returned context must pass: an object with a `request` (or the seed plan's `model`
 * and `message`) and an object `metadata` if any. The rest of its shape is the plugin's word, as
 * with any TypeScript plugin.
 */
function assertRoutingContextShape(value: unknown): asserts value is RoutingContext {
  const seedShaped =
    isRecord(value) && (typeof value.model === 'string' || typeof value.message === 'string');
  if (!isRecord(value) || (!isRecord(value.request) && !seedShaped)) {
    throw new MalformedHookResultError(
      `returned ${describeValue(value)}; beforeRouting must return the routing context (an object with "request", or "model" and "message") or nothing`,
    );
  }
  if (value.metadata !== undefined && !isRecord(value.metadata)) {
    throw new MalformedHookResultError('returned a context whose "metadata" is not an object');
  }
}

/** An `afterRouting` answer merged onto the decision it was given (a partial decision is fine). */
export function checkRoutingDecision(value: unknown, draft: RoutingDecision): RoutingDecision {
  if (value !== undefined && value !== null && !isRecord(value)) {
    throw new MalformedHookResultError(
      `returned ${describeValue(value)}; afterRouting must return a decision object or nothing`,
    );
  }
  const merged = { ...draft, ...(value ?? {}) } as RoutingDecision;
  const problems: string[] = [];
  if (!isNonEmptyString(merged.provider)) problems.push('"provider" must be a non-empty string');
  if (!isNonEmptyString(merged.model)) problems.push('"model" must be a non-empty string');
  if (!Array.isArray(merged.fallbacks) || !merged.fallbacks.every(isNonEmptyString)) {
    problems.push('"fallbacks" must be a list of "provider,model" strings');
  }
  if (!isRecord(merged.metadata)) problems.push('"metadata" must be an object');
  if (problems.length > 0) {
    throw new MalformedHookResultError(`returned an invalid decision: ${problems.join('; ')}`);
  }
  return merged;
}

/**
 * A `customRouter` answer: `null`/`undefined`/`""` pass (CCR treats any falsy value as "no
 * opinion"); a `"provider,model"` string or `{ provider, model }` object picks the route.
 */
export function checkCustomRoute(value: unknown): string | CustomRouteResult | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') {
    const route = value.trim();
    const comma = route.indexOf(',');
    if (comma <= 0 || comma === route.length - 1) {
      throw new MalformedHookResultError(
        `returned ${describeValue(value)}; customRouter must return "provider,model", a { provider, model } object, or null`,
      );
    }
    return route;
  }
  if (isRouteObject(value)) {
    assertCustomRouteOptionals(value);
    return value;
  }
  throw new MalformedHookResultError(
    `returned ${describeValue(value)}; customRouter must return "provider,model", a { provider, model } object, or null`,
  );
}

type RouteObject = Record<string, unknown> & { provider: string; model: string };

function isRouteObject(value: unknown): value is RouteObject {
  return isRecord(value) && isNonEmptyString(value.provider) && isNonEmptyString(value.model);
}

/** A `{ provider, model }` route's optional members, checked (extra members are kept). */
function assertCustomRouteOptionals(
  value: RouteObject,
): asserts value is RouteObject & CustomRouteResult {
  const { confidence, reason, metadata } = value;
  if (
    confidence !== undefined &&
    (typeof confidence !== 'number' || confidence < 0 || confidence > 1)
  ) {
    throw new MalformedHookResultError(
      'returned a route whose "confidence" is not a number in 0..1',
    );
  }
  if (reason !== undefined && typeof reason !== 'string') {
    throw new MalformedHookResultError('returned a route whose "reason" is not a string');
  }
  if (metadata !== undefined && !isRecord(metadata)) {
    throw new MalformedHookResultError('returned a route whose "metadata" is not an object');
  }
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}
