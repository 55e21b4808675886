import type { ParsedRouterConfig } from '../config/config-schema.js';
import { compileRulePattern, maxRuleMatchTextLength } from '../config/rule-fields.js';
import type { RequestRoutingContext, RoutingRule, RuleCondition } from '../types/routing.js';
import { contextMessage, contextModel } from './context-helpers.js';

/** A rule ready to evaluate: sorted, with its `matches` patterns compiled once. */
export interface CompiledRule {
  rule: Required<Pick<RoutingRule, 'name' | 'route' | 'priority' | 'enabled' | 'match'>> &
    RoutingRule;
  patterns: Map<number, RegExp | null>;
}

/** What rules see of a request; values are computed lazily and once. */
export interface RuleInputs {
  context: RequestRoutingContext;
  tokenCount: number;
  sessionId: string | undefined;
  messageText?: string;
}

/** Sorts rules by priority (highest first; ties keep config order) and compiles their patterns. */
export function compileRules(router: ParsedRouterConfig): CompiledRule[] {
  return router.customRules
    .map((rule, order) => ({ rule, order }))
    .sort((left, right) => right.rule.priority - left.rule.priority || left.order - right.order)
    .map(({ rule }) => {
      const patterns = new Map<number, RegExp | null>();
      rule.conditions.forEach((condition, index) => {
        if (condition.operator !== 'matches') return;
        try {
          patterns.set(index, compileRulePattern(String(condition.value)));
        } catch {
          patterns.set(index, null);
        }
      });
      return { rule, patterns };
    });
}

/** Evaluates one rule; `detail` says which conditions held, for `explain`. */
export function evaluateRule(
  compiled: CompiledRule,
  inputs: RuleInputs,
): { matched: boolean; detail: string } {
  const { rule, patterns } = compiled;
  if (rule.conditions.length === 0)
    return { matched: true, detail: 'no conditions: always matches' };
  const results = rule.conditions.map((condition, index) => {
    const actual = readField(condition.field, inputs);
    const held = testCondition(condition, actual, patterns.get(index));
    return {
      held,
      text: `${condition.field} ${condition.operator} ${JSON.stringify(condition.value)} (actual ${describe(actual)}): ${held ? 'yes' : 'no'}`,
    };
  });
  const matched =
    rule.match === 'any'
      ? results.some(result => result.held)
      : results.every(result => result.held);
  return { matched, detail: `${rule.match}: ${results.map(result => result.text).join('; ')}` };
}

function readField(field: string, inputs: RuleInputs): unknown {
  switch (field) {
    case 'tokenCount':
      return inputs.tokenCount;
    case 'model':
      return contextModel(inputs.context);
    case 'message':
      inputs.messageText ??= contextMessage(inputs.context);
      return inputs.messageText;
    case 'sessionId':
      return inputs.sessionId;
  }
  if (field.startsWith('metadata.')) return readPath(inputs.context.metadata, field.slice(9));
  if (field.startsWith('header.')) return inputs.context.headers?.[field.slice(7).toLowerCase()];
  return undefined;
}

function readPath(source: unknown, path: string): unknown {
  if (source !== null && typeof source === 'object' && path in source) {
    return (source as Record<string, unknown>)[path];
  }
  let current = source;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function testCondition(
  condition: RuleCondition,
  actual: unknown,
  pattern: RegExp | null | undefined,
): boolean {
  const { operator, value } = condition;
  switch (operator) {
    case 'gt':
    case 'lt':
    case 'gte':
    case 'lte': {
      if (actual === undefined || actual === null || actual === '') return false;
      const left = Number(actual);
      const right = Number(value);
      if (!Number.isFinite(left) || !Number.isFinite(right)) return false;
      if (operator === 'gt') return left > right;
      if (operator === 'lt') return left < right;
      if (operator === 'gte') return left >= right;
      return left <= right;
    }
    case 'eq':
      return looselyEqual(actual, value);
    case 'neq':
      return !looselyEqual(actual, value);
    case 'contains':
      if (Array.isArray(actual)) return actual.some(item => looselyEqual(item, value));
      return typeof actual === 'string' && actual.includes(String(value));
    case 'matches':
      if (!pattern || actual === undefined || actual === null) return false;
      return pattern.test(
        (typeof actual === 'string' ? actual : String(actual)).slice(0, maxRuleMatchTextLength),
      );
  }
}

function looselyEqual(actual: unknown, expected: string | number | boolean): boolean {
  if (actual === expected) return true;
  if (actual === undefined || actual === null || typeof actual === 'object') return false;
  return String(actual) === String(expected);
}

function describe(value: unknown): string {
  if (value === undefined) return 'unset';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
