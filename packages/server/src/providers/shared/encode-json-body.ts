/**
 * `Buffer.from(JSON.stringify(value))`, the same bytes, built from the top-level values (and the
 * elements of top-level arrays) serialized one by one.
 *
 * Why: a request body with one non-ASCII character serializes to a two-byte string twice its
 * length; past 64 K characters that string goes to V8's large-object space, whose allocation costs
 * about a millisecond here, and is then encoded once more. Serialized piece by piece, each string
 * stays small and the pieces are copied once into one buffer outside the JavaScript heap.
 */
export function encodeJSONBody(value: unknown): Buffer {
  const pieces: Buffer[] = [];
  appendJSON(value, pieces, 2);
  return Buffer.concat(pieces);
}

function appendJSON(value: unknown, pieces: Buffer[], splitLevels: number): void {
  if (splitLevels > 0 && Array.isArray(value)) {
    pieces.push(openBracket);
    value.forEach((element, index) => {
      if (index > 0) pieces.push(comma);
      // JSON.stringify writes `null` for elements it cannot serialize (undefined, functions).
      if (serializable(element)) appendJSON(element, pieces, splitLevels - 1);
      else pieces.push(nullLiteral);
    });
    pieces.push(closeBracket);
    return;
  }
  if (splitLevels > 0 && isPlainObject(value)) {
    pieces.push(openBrace);
    let first = true;
    for (const key of Object.keys(value)) {
      const member = value[key];
      // JSON.stringify leaves such members out.
      if (!serializable(member)) continue;
      pieces.push(Buffer.from(`${first ? '' : ','}${JSON.stringify(key)}:`, 'utf8'));
      first = false;
      appendJSON(member, pieces, splitLevels - 1);
    }
    pieces.push(closeBrace);
    return;
  }
  pieces.push(Buffer.from(JSON.stringify(value) ?? 'null', 'utf8'));
}

const openBracket = Buffer.from('[');
const closeBracket = Buffer.from(']');
const openBrace = Buffer.from('{');
const closeBrace = Buffer.from('}');
const comma = Buffer.from(',');
const nullLiteral = Buffer.from('null');

function serializable(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

/** Plain objects and arrays only: anything with `toJSON` (a `Date`) is serialized whole. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return (
    (prototype === Object.prototype || prototype === null) &&
    typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}
