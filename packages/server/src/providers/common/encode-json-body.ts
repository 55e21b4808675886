/**
 * `Buffer.from(JSON.stringify(value))`, the same bytes, built from the top-level values (and the
 * elements of top-level arrays) serialized one by one.
 *
 * Why: a request body with one non-ASCII character serializes to a two-byte string twice its
 * length; past 64 K characters that string goes to V8's large-object space, whose allocation costs
 * about a millisecond here, and is then encoded once more. Serialized piece by piece, each string
 * stays small and the pieces are encoded straight into one buffer outside the JavaScript heap.
 */
export function encodeJSONBody(value: unknown): Buffer {
  const pieces: (string | Buffer)[] = [];
  appendJSON(value, pieces, 2);
  let length = 0;
  for (const piece of pieces) {
    length += typeof piece === 'string' ? Buffer.byteLength(piece, 'utf8') : piece.length;
  }
  const bytes = Buffer.allocUnsafe(length);
  let offset = 0;
  for (const piece of pieces) {
    offset +=
      typeof piece === 'string' ? bytes.write(piece, offset, 'utf8') : piece.copy(bytes, offset);
  }
  return bytes;
}

/** Values serialized by {@link encodeJSONOnce}: their bytes are copied, not serialized again. */
const encodedValues = new WeakMap<object, Buffer>();

/**
 * Serializes `value` now and lets every later {@link encodeJSONBody} that meets the same object (at
 * the levels it splits: the body's top-level values and their elements) copy these bytes. For
 * values shared between requests (translated tools); the value is frozen, since a change would
 * not reach the remembered bytes.
 */
export function encodeJSONOnce<Value extends object>(value: Value): Value {
  encodedValues.set(value, encodeJSONBody(deepFreeze(value)));
  return value;
}

function deepFreeze<Value>(value: Value): Value {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

function appendJSON(value: unknown, pieces: (string | Buffer)[], splitLevels: number): void {
  const encoded =
    value !== null && typeof value === 'object' ? encodedValues.get(value) : undefined;
  if (encoded) {
    pieces.push(encoded);
    return;
  }
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
      pieces.push(`${first ? '' : ','}${JSON.stringify(key)}:`);
      first = false;
      appendJSON(member, pieces, splitLevels - 1);
    }
    pieces.push(closeBrace);
    return;
  }
  pieces.push(JSON.stringify(value) ?? 'null');
}

const openBracket = '[';
const closeBracket = ']';
const openBrace = '{';
const closeBrace = '}';
const comma = ',';
const nullLiteral = 'null';

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
