import type { z } from 'zod';
import type { ConfigIssue } from '../errors/config-error.js';

/** Renders a zod path as `Providers[2].api_base_url`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let result = '';
  for (const segment of path) {
    if (typeof segment === 'number') result += `[${segment}]`;
    else result += result === '' ? String(segment) : `.${String(segment)}`;
  }
  return result;
}

/** Converts zod issues into readable config issues with a fix hint, reading actual values from `input`. */
export function convertZodIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
): ConfigIssue[] {
  return issues.map(issue => convertZodIssue(issue, input));
}

function convertZodIssue(issue: z.core.$ZodIssue, input: unknown): ConfigIssue {
  const path = formatIssuePath(issue.path);
  const actual = readPath(input, issue.path);
  const key = String(issue.path.at(-1) ?? 'value');
  switch (issue.code) {
    case 'invalid_type': {
      if (actual === undefined) {
        return {
          path,
          message: `is required (${describeExpected(issue.expected)}).`,
          hint: `add "${key}" here.`,
        };
      }
      return {
        path,
        message: `must be ${describeExpected(issue.expected)}, but it is ${describeValue(actual)}.`,
        hint: hintForType(issue.expected, actual),
      };
    }
    case 'too_small':
      if (issue.origin === 'string') {
        return {
          path,
          message: 'must not be empty.',
          hint: `give "${key}" a value or remove the key.`,
        };
      }
      return {
        path,
        message: `must be at least ${String(issue.minimum)}${issue.origin === 'array' ? ' items' : ''}, but it is ${describeValue(actual)}.`,
        hint: `use a value of ${String(issue.minimum)} or more.`,
      };
    case 'too_big':
      return {
        path,
        message: `must be at most ${String(issue.maximum)}, but it is ${describeValue(actual)}.`,
        hint: `use a value of ${String(issue.maximum)} or less.`,
      };
    case 'invalid_value':
      return {
        path,
        message: `${describeValue(actual)} is not allowed.`,
        hint: `use one of ${issue.values.map(value => JSON.stringify(value)).join(', ')}.`,
      };
    case 'invalid_union':
      return {
        path,
        message: `${describeValue(actual)} has the wrong shape.`,
        hint: 'check the documented forms for this key (for transformers: "name" or ["name", {options}]).',
      };
    default:
      return { path, message: `${issue.message}.`, hint: undefined };
  }
}

function describeExpected(expected: string): string {
  if (expected === 'object') return 'an object';
  if (expected === 'array') return 'an array';
  if (expected === 'int') return 'an integer';
  return `a ${expected}`;
}

function hintForType(expected: string, actual: unknown): string {
  if ((expected === 'number' || expected === 'int') && typeof actual === 'string') {
    return Number.isFinite(Number(actual))
      ? `remove the quotes: ${actual}.`
      : 'write a number without quotes.';
  }
  if (expected === 'boolean' && (actual === 'true' || actual === 'false')) {
    return `remove the quotes: ${actual}.`;
  }
  if (expected === 'string') return 'write the value in double quotes.';
  if (expected === 'array') return 'wrap the value in [ ].';
  if (expected === 'object') return 'use an object { ... }.';
  return `use ${describeExpected(expected)}.`;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(truncate(value))}`;
  return `${typeof value} ${String(value)}`;
}

function truncate(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}...` : value;
}

function readPath(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}
