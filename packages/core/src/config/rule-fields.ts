/** Fields a custom rule condition may test (`metadata.<key>` and `header.<name>` take a suffix). */
export const ruleFieldNames = ['tokenCount', 'model', 'message', 'sessionId'] as const;
export const ruleFieldPrefixes = ['metadata.', 'header.'] as const;

/** True when `field` is something the router knows how to read. */
export function isSupportedRuleField(field: string): boolean {
  if ((ruleFieldNames as readonly string[]).includes(field)) return true;
  return ruleFieldPrefixes.some(prefix => field.startsWith(prefix) && field.length > prefix.length);
}

/**
 * Compiles a `matches` pattern: `/source/flags` or a bare source. Throws SyntaxError when invalid
 * or when it nests unbounded repetition (see {@link findNestedQuantifier}).
 */
export function compileRulePattern(pattern: string): RegExp {
  const literal = /^\/(.*)\/([dgimsuvy]*)$/s.exec(pattern);
  const source = literal ? (literal[1] ?? '') : pattern;
  const nested = findNestedQuantifier(source);
  if (nested) {
    throw new SyntaxError(
      `the pattern repeats a group that itself repeats (${nested}), which can take exponential time on some text; rewrite it without the nested repetition`,
    );
  }
  if (literal) return new RegExp(source, (literal[2] ?? '').replace(/[gy]/g, ''));
  return new RegExp(pattern);
}

/**
 * How much text a `matches` condition sees: the first this many characters. A regular expression
 * runs in JavaScript's backtracking engine, so its time grows with the text; a request can carry
 * megabytes in its last message.
 */
export const maxRuleMatchTextLength = 16_384;

/**
 * Finds a nested unbounded quantifier (`(a+)+`, `(\w*)*`, `(?:x+y?)+`): the shape that makes a
 * backtracking engine take exponential time on a near-miss (catastrophic backtracking, ReDoS),
 * as the `safe-regex` star-height check does. Returns the offending group's source, or undefined.
 */
export function findNestedQuantifier(source: string): string | undefined {
  // One frame per open group: where it starts and whether its body repeats without bound.
  const groups: Array<{ start: number; repeats: boolean }> = [{ start: 0, repeats: false }];
  let lastGroup: { start: number; end: number; repeats: boolean } | undefined;
  let index = 0;
  while (index < source.length) {
    const character = source[index]!;
    if (character === '\\') {
      lastGroup = undefined;
      index += 2;
      continue;
    }
    if (character === '[') {
      lastGroup = undefined;
      index = endOfCharacterClass(source, index);
      continue;
    }
    if (character === '(') {
      groups.push({ start: index, repeats: false });
      lastGroup = undefined;
      index = skipGroupPrefix(source, index + 1);
      continue;
    }
    if (character === ')') {
      const group = groups.length > 1 ? groups.pop()! : undefined;
      lastGroup = group && { start: group.start, end: index + 1, repeats: group.repeats };
      index++;
      continue;
    }
    const quantifier = readQuantifier(source, index);
    if (quantifier) {
      if (quantifier.unbounded) {
        if (lastGroup?.repeats) return source.slice(lastGroup.start, quantifier.end);
        groups[groups.length - 1]!.repeats = true;
      } else if (lastGroup?.repeats) {
        groups[groups.length - 1]!.repeats = true;
      }
      lastGroup = undefined;
      index = quantifier.end;
      continue;
    }
    lastGroup = undefined;
    index++;
  }
  return undefined;
}

function endOfCharacterClass(source: string, start: number): number {
  let index = start + 1;
  while (index < source.length && source[index] !== ']') index += source[index] === '\\' ? 2 : 1;
  return index + 1;
}

/** Skips `?:`, `?=`, `?!`, `?<=`, `?<!` and `?<name>` after an opening parenthesis. */
function skipGroupPrefix(source: string, index: number): number {
  if (source[index] !== '?') return index;
  const next = source[index + 1];
  if (next === ':' || next === '=' || next === '!') return index + 2;
  if (next === '<') {
    const after = source[index + 2];
    if (after === '=' || after === '!') return index + 3;
    const close = source.indexOf('>', index);
    return close === -1 ? index + 2 : close + 1;
  }
  return index + 1;
}

/** A quantifier at `index` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each maybe lazy). */
function readQuantifier(
  source: string,
  index: number,
): { end: number; unbounded: boolean } | undefined {
  const character = source[index];
  let end: number;
  let unbounded: boolean;
  if (character === '*' || character === '+') {
    end = index + 1;
    unbounded = true;
  } else if (character === '?') {
    end = index + 1;
    unbounded = false;
  } else if (character === '{') {
    const braces = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(index, index + 24));
    if (!braces) return undefined;
    end = index + braces[0].length;
    // `{n,}` is unbounded; a large upper bound backtracks like one.
    unbounded = braces[2] !== undefined && (braces[3] === '' || Number(braces[3]) > 32);
  } else {
    return undefined;
  }
  if (source[end] === '?') end++;
  return { end, unbounded };
}
