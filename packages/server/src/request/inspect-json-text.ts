/**
 * One iterative pass over a JSON object text, before it is parsed, for the two things `JSON.parse`
 * does not refuse but Conduit must:
 * - nesting deeper than a limit: every walk over client data further on (token counting, schema
 *   conversion, `JSON.stringify`) is recursive, and a body nested 100,000 levels deep would
 *   overflow the stack there (a 500) instead of getting a 400 here;
 * - a top-level key given twice (`"model"` twice): `JSON.parse` keeps the last one, while a byte-level
 *   passthrough could forward the first, so what is routed, priced and budgeted could differ from
 *   what the upstream serves.
 * Invalid JSON is not reported here (`JSON.parse` does that with a better message).
 */

/** What {@link inspectJSONText} found wrong, if anything. */
export type JSONTextProblem =
  | { kind: 'too-deep'; limit: number }
  | { kind: 'duplicate-key'; key: string };

const quote = 34; // "
const backslash = 92; // \
const openBrace = 123; // {
const closeBrace = 125; // }
const openBracket = 91; // [
const closeBracket = 93; // ]
const comma = 44; // ,

/**
 * Called for each top-level member with the range of `text` from just after its key's closing quote
 * to the comma or brace that ends it (the colon, the value and the whitespace around it).
 */
export type TopLevelMemberListener = (key: string, start: number, end: number) => void;

/**
 * Returns the first problem in `text`, or undefined. Linear in the text length, no recursion.
 * `onTopLevelMember` hears of every top-level member of a text without problems (it may hear of
 * some before a problem is found).
 */
export function inspectJSONText(
  text: string,
  maxDepth: number,
  onTopLevelMember?: TopLevelMemberListener,
): JSONTextProblem | undefined {
  let depth = 0;
  let expectingKey = false;
  const topLevelKeys = new Set<string>();
  let memberKey: string | undefined;
  let memberStart = 0;
  const length = text.length;
  let index = 0;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (code === quote) {
      const end = endOfString(text, index);
      if (depth === 1 && expectingKey) {
        const key = decodeKey(text.slice(index, end));
        if (key !== undefined) {
          if (topLevelKeys.has(key)) return { kind: 'duplicate-key', key };
          topLevelKeys.add(key);
          memberKey = key;
          memberStart = end;
        }
        expectingKey = false;
      }
      index = end;
      continue;
    }
    if (code === openBrace || code === openBracket) {
      depth++;
      if (depth > maxDepth) return { kind: 'too-deep', limit: maxDepth };
      expectingKey = depth === 1 && code === openBrace;
    } else if (code === closeBrace || code === closeBracket) {
      depth--;
      if (depth === 0 && memberKey !== undefined) {
        onTopLevelMember?.(memberKey, memberStart, index);
        memberKey = undefined;
      }
    } else if (code === comma && depth === 1) {
      expectingKey = true;
      if (memberKey !== undefined) {
        onTopLevelMember?.(memberKey, memberStart, index);
        memberKey = undefined;
      }
    }
    index++;
  }
  return undefined;
}

/** Index just after the closing quote of the string that opens at `start`. */
function endOfString(text: string, start: number): number {
  let index = start + 1;
  while (true) {
    const next = text.indexOf('"', index);
    if (next === -1) return text.length;
    let backslashes = 0;
    for (let cursor = next - 1; cursor > start && text.charCodeAt(cursor) === backslash; cursor--) {
      backslashes++;
    }
    if (backslashes % 2 === 0) return next + 1;
    index = next + 1;
  }
}

function decodeKey(literal: string): string | undefined {
  if (!literal.includes('\\')) return literal.slice(1, -1);
  try {
    return JSON.parse(literal) as string;
  } catch {
    return undefined;
  }
}
