import { InvalidRequestError } from '@conduit/core';
import type { z } from 'zod';
import type { InboundBody } from './inbound-body.js';
import { type TopLevelMemberListener, inspectJSONText } from './inspect-json-text.js';
import {
  type ToolsSource,
  deferToolsParse,
  internToolsSource,
  rememberToolsSource,
} from './tools-source.js';

/**
 * How deep a request body may nest objects and arrays. Real requests stay far below it (a Claude
 * Code body nests about a dozen levels; deep JSON Schemas a few dozen more); past it, the recursive
 * walks over client data (token counting, schema conversion, serialization) could run out of stack.
 */
export const maxRequestNestingDepth = 128;

/** `['messages', 0, 'role']` → `messages[0].role`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}

/**
 * Parses a JSON body and validates it against `schema`. Refuses, before parsing, bodies nested deeper
 * than {@link maxRequestNestingDepth} and bodies that give a top-level key twice. An
 * {@link InboundBody} is parsed from its one-byte `parseText`; a syntax error is reported from the
 * exact text, so the message quotes what the client sent.
 *
 * With `linkToolsSource`, a top-level `tools` array is linked to its text (see `tools-source.ts`),
 * so adapters can reuse what they derived from the same tools in an earlier request; with
 * `validateTools` too (the check `schema` makes of `tools`, as a function returning the checked
 * copy), tools already seen valid are parsed only when read (see `deferToolsParse`). `validateFast`
 * is a cheaper check giving what `schema` gives, or undefined to let `schema` decide (and word the
 * error).
 * @throws InvalidRequestError naming the first offending field (and how many more there are).
 */
export function parseJSONRequest<Schema extends z.ZodType>(
  body: string | InboundBody,
  schema: Schema,
  options: {
    linkToolsSource?: boolean;
    validateTools?: (tools: unknown) => unknown;
    validateFast?: (value: object) => z.output<Schema> | undefined;
  } = {},
): z.output<Schema> {
  const text = typeof body === 'string' ? body : body.parseText;
  let toolsSource: ToolsSource | undefined;
  let toolsRange = { start: 0, end: 0 };
  const findTools: TopLevelMemberListener | undefined =
    options.linkToolsSource && typeof body !== 'string' && body.parseTextIsOneByte
      ? (key, start, end) => {
          if (key !== 'tools') return;
          toolsSource = internToolsSource(text, start, end);
          toolsRange = { start, end };
        }
      : undefined;
  const problem = inspectJSONText(text, maxRequestNestingDepth, findTools);
  if (problem?.kind === 'too-deep') {
    throw new InvalidRequestError({
      message: `The request body nests objects and arrays more than ${problem.limit} levels deep, Conduit's limit. Flatten the deepest value (often a tool's input_schema).`,
    });
  }
  if (problem?.kind === 'duplicate-key') {
    throw new InvalidRequestError({
      message: `The request body gives the top-level key ${JSON.stringify(problem.key.slice(0, 64))} more than once. Send each key once.`,
      field: problem.key.slice(0, 64),
    });
  }
  let value: unknown;
  // Tools seen valid before: the rest of the request is parsed, with an empty list in their place.
  const deferredTools = toolsSource?.validateTools ? toolsSource : undefined;
  if (deferredTools) {
    value = parseOrUndefined(`${text.slice(0, toolsRange.start)}:[]${text.slice(toolsRange.end)}`);
  }
  const toolsDeferred = value !== undefined;
  try {
    if (!toolsDeferred) value = parseJSONText(text, body);
  } catch (error) {
    throw new InvalidRequestError({
      message: `The request body is not valid JSON: ${error instanceof Error ? error.message : 'parse error'}.`,
      cause: error,
    });
  } finally {
    // Parsed once: the request keeps its bytes (for a passthrough) and the value, not the texts.
    if (typeof body !== 'string') body.releaseTexts();
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidRequestError({ message: 'The request body must be a JSON object.' });
  }
  const valid = options.validateFast?.(value);
  const result =
    valid === undefined ? schema.safeParse(value) : { success: true as const, data: valid };
  if (result.success) {
    const request = result.data as { tools?: unknown };
    if (toolsSource && Array.isArray(request.tools)) {
      rememberToolsSource(request, toolsSource);
      if (toolsDeferred) deferToolsParse(request, toolsSource);
      else toolsSource.validateTools ??= options.validateTools;
    }
    return result.data;
  }
  const [first, ...rest] = result.error.issues;
  const field = formatIssuePath(first?.path ?? []);
  const more =
    rest.length > 0 ? ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})` : '';
  throw new InvalidRequestError({
    message: `${field || 'body'}: ${first?.message ?? 'invalid value'}${more}.`,
    field,
  });
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseJSONText(text: string, body: string | InboundBody): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (typeof body === 'string' || body.parseTextIsExact) throw error;
    return JSON.parse(body.text);
  }
}
