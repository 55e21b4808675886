/**
 * JSON-Schema keywords that no OpenAI-compatible function-calling endpoint needs. `$schema` is
 * rejected by Groq and several vLLM builds; Claude Code puts it on every tool.
 */
export const defaultRemovedSchemaKeywords: readonly string[] = ['$schema'];

const nestedSchemaMapKeys = new Set(['properties', 'patternProperties', '$defs', 'definitions']);

/**
 * Returns a copy of `schema` without the given keywords, at every depth. Property *names* that
 * happen to equal a keyword (a tool parameter called `format`) are kept: inside `properties` and
 * the other schema maps the keys are names, not keywords.
 */
export function cleanJsonSchema(
  schema: unknown,
  removedKeywords: readonly string[] = defaultRemovedSchemaKeywords,
): unknown {
  if (removedKeywords.length === 0) return schema;
  const removed = new Set(removedKeywords);
  const clean = (value: unknown, isSchemaMap: boolean): unknown => {
    if (Array.isArray(value)) return value.map(item => clean(item, false));
    if (value === null || typeof value !== 'object') return value;
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      if (!isSchemaMap && removed.has(key)) continue;
      result[key] = isSchemaMap ? clean(child, false) : clean(child, nestedSchemaMapKeys.has(key));
    }
    return result;
  };
  return clean(schema, false);
}
