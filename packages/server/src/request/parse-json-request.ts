import { InvalidRequestError } from '@conduit/core';
import type { z } from 'zod';

/** `['messages', 0, 'role']` → `messages[0].role`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}

/**
 * Parses a JSON body and validates it against `schema`.
 * @throws InvalidRequestError naming the first offending field (and how many more there are).
 */
export function parseJSONRequest<Schema extends z.ZodType>(
  text: string,
  schema: Schema,
): z.output<Schema> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidRequestError({
      message: `The request body is not valid JSON: ${error instanceof Error ? error.message : 'parse error'}.`,
      cause: error,
    });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidRequestError({ message: 'The request body must be a JSON object.' });
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const [first, ...rest] = result.error.issues;
  const field = formatIssuePath(first?.path ?? []);
  const more =
    rest.length > 0 ? ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})` : '';
  throw new InvalidRequestError({
    message: `${field || 'body'}: ${first?.message ?? 'invalid value'}${more}.`,
    field,
  });
}
