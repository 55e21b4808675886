import { jsonrepair } from 'jsonrepair';

/**
 * Tool-call arguments from a model → the `input` object of a `tool_use` block. Smaller models emit
 * almost-JSON (trailing commas, single quotes, cut-off braces); `jsonrepair` fixes most of it. What
 * cannot be parsed into an object becomes `{}` and is reported, so the caller can warn.
 */
export function parseToolArguments(
  argumentsText: string | Record<string, unknown> | null | undefined,
): { input: Record<string, unknown>; repaired: boolean; failed: boolean } {
  if (argumentsText === null || argumentsText === undefined) {
    return { input: {}, repaired: false, failed: false };
  }
  if (typeof argumentsText === 'object')
    return { input: argumentsText, repaired: false, failed: false };
  if (argumentsText.trim() === '') return { input: {}, repaired: false, failed: false };
  const direct = tryParseObject(argumentsText);
  if (direct) return { input: direct, repaired: false, failed: false };
  try {
    const repaired = tryParseObject(jsonrepair(argumentsText));
    if (repaired) return { input: repaired, repaired: true, failed: false };
  } catch {
    // fall through: not repairable
  }
  return { input: {}, repaired: false, failed: true };
}

function tryParseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
