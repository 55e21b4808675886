/** Fields a custom rule condition may test (`metadata.<key>` and `header.<name>` take a suffix). */
export const ruleFieldNames = ['tokenCount', 'model', 'message', 'sessionId'] as const;
export const ruleFieldPrefixes = ['metadata.', 'header.'] as const;

/** True when `field` is something the router knows how to read. */
export function isSupportedRuleField(field: string): boolean {
  if ((ruleFieldNames as readonly string[]).includes(field)) return true;
  return ruleFieldPrefixes.some(prefix => field.startsWith(prefix) && field.length > prefix.length);
}

/**
 * Compiles a `matches` pattern: `/source/flags` or a bare source. Throws SyntaxError when invalid.
 */
export function compileRulePattern(pattern: string): RegExp {
  const literal = /^\/(.*)\/([dgimsuvy]*)$/s.exec(pattern);
  if (literal) return new RegExp(literal[1] ?? '', (literal[2] ?? '').replace(/[gy]/g, ''));
  return new RegExp(pattern);
}
