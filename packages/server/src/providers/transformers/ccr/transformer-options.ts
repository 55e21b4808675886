/** Option checks shared by the CCR transformer definitions (one sentence per problem). */

export function booleanOptionProblems(options: Record<string, unknown>, names: string[]): string[] {
  return names
    .filter(name => options[name] !== undefined && typeof options[name] !== 'boolean')
    .map(name => `option "${name}" must be true or false.`);
}

export function numberOptionProblems(
  options: Record<string, unknown>,
  names: string[],
  { integer = false, positive = false }: { integer?: boolean; positive?: boolean } = {},
): string[] {
  const problems: string[] = [];
  for (const name of names) {
    const value = options[name];
    if (value === undefined) continue;
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      (integer && !Number.isInteger(value)) ||
      (positive && value <= 0)
    ) {
      problems.push(
        `option "${name}" must be a ${positive ? 'positive ' : ''}${integer ? 'integer' : 'number'}.`,
      );
    }
  }
  return problems;
}

export function noOptionsProblems(name: string, options: Record<string, unknown>): string[] {
  const keys = Object.keys(options);
  return keys.length === 0
    ? []
    : [`takes no options (got ${keys.join(', ')}); "${name}" ignores them in CCR too.`];
}

/** Where each wire format keeps the output-token limit. */
const outputTokenFields = ['max_tokens', 'max_completion_tokens', 'max_output_tokens'] as const;

/**
 * Caps the output-token limit of a provider body at `limit`, wherever the wire format keeps it
 * (`max_tokens`, `max_completion_tokens`, Responses' `max_output_tokens`, Gemini's
 * `generationConfig.maxOutputTokens`). A body without a limit is left alone (CCR caps, never sets).
 */
export function capOutputTokens(body: Record<string, unknown>, limit: number): void {
  for (const field of outputTokenFields) {
    const value = body[field];
    if (typeof value === 'number' && value > limit) body[field] = limit;
  }
  const generationConfig = body.generationConfig as { maxOutputTokens?: unknown } | undefined;
  if (
    typeof generationConfig?.maxOutputTokens === 'number' &&
    generationConfig.maxOutputTokens > limit
  ) {
    generationConfig.maxOutputTokens = limit;
  }
}

/** Removes `cache_control` from messages and their content parts (and from tools and system). */
export function removeCacheControl(body: Record<string, unknown>): void {
  const strip = (value: unknown) => {
    if (value && typeof value === 'object') delete (value as Record<string, unknown>).cache_control;
  };
  for (const key of ['messages', 'input', 'tools', 'system']) {
    const list = body[key];
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      strip(item);
      const content = (item as { content?: unknown } | null)?.content;
      if (Array.isArray(content)) content.forEach(strip);
    }
  }
}

/** Deep merge that adds keys and merges objects but keeps existing scalars (CCR `customparams`). */
export function mergeKeepingExisting(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (existing === undefined) {
      target[key] = structuredClone(value);
    } else if (isPlainObject(existing) && isPlainObject(value)) {
      mergeOverwriting(existing, value);
    }
  }
}

function mergeOverwriting(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (isPlainObject(existing) && isPlainObject(value)) mergeOverwriting(existing, value);
    else target[key] = structuredClone(value);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
