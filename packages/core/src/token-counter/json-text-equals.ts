/**
 * Whether `JSON.stringify(value)` would be exactly `text`, decided by walking `value` against
 * `text` without building the string. The token counter uses it to find the text it counted for
 * the same tool schema on the previous request: Claude Code resends every tool's schema on every
 * turn, and stringifying them all again allocated about 30 KB per request. Values it cannot
 * compare without allocating or calling user code (`toJSON`, non-plain objects, BigInts) answer
 * `false`, and the caller stringifies as before.
 * @module
 */

/**
 * True only when `JSON.stringify(value) === text`; false when it differs or the value is outside
 * what this compares (then the caller stringifies).
 */
export function jsonTextEquals(value: unknown, text: string): boolean {
  return matchValue(value, text, 0) === text.length;
}

/** Where `JSON.stringify(value)` ends when `text` holds it from `at`, or -1. */
function matchValue(value: unknown, text: string, at: number): number {
  if (value === null) return matchLiteral('null', text, at);
  switch (typeof value) {
    case 'string':
      return matchString(value, text, at);
    case 'boolean':
      return matchLiteral(value ? 'true' : 'false', text, at);
    case 'number':
      return matchLiteral(Number.isFinite(value) ? String(value) : 'null', text, at);
    case 'object':
      return Array.isArray(value) ? matchArray(value, text, at) : matchObject(value, text, at);
    default:
      return -1;
  }
}

function matchLiteral(literal: string, text: string, at: number): number {
  return text.startsWith(literal, at) ? at + literal.length : -1;
}

function isPlain(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== Array.prototype && prototype !== null) {
    return false;
  }
  return typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

function matchArray(array: unknown[], text: string, at: number): number {
  if (!isPlain(array) || text.charCodeAt(at) !== 0x5b) return -1;
  let position = at + 1;
  for (let index = 0; index < array.length; index++) {
    if (index > 0) {
      if (text.charCodeAt(position) !== 0x2c) return -1;
      position++;
    }
    const element = array[index];
    // JSON.stringify writes null for what it cannot represent inside an array.
    position = isSkipped(element)
      ? matchLiteral('null', text, position)
      : matchValue(element, text, position);
    if (position < 0) return -1;
  }
  return text.charCodeAt(position) === 0x5d ? position + 1 : -1;
}

function matchObject(object: object, text: string, at: number): number {
  if (!isPlain(object) || text.charCodeAt(at) !== 0x7b) return -1;
  let position = at + 1;
  let first = true;
  // for…in visits own enumerable string keys in the order JSON.stringify writes them (plain
  // objects inherit no enumerable keys; the hasOwn check keeps it exact if one does).
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    const property = (object as Record<string, unknown>)[key];
    if (isSkipped(property)) continue;
    if (!first) {
      if (text.charCodeAt(position) !== 0x2c) return -1;
      position++;
    }
    first = false;
    position = matchString(key, text, position);
    if (position < 0 || text.charCodeAt(position) !== 0x3a) return -1;
    position = matchValue(property, text, position + 1);
    if (position < 0) return -1;
  }
  return text.charCodeAt(position) === 0x7d ? position + 1 : -1;
}

/** Values JSON.stringify leaves out of objects (and writes as null in arrays). */
function isSkipped(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** The letter of JSON.stringify's two-character escape of `code`, or -1. */
function shortEscape(code: number): number {
  switch (code) {
    case 0x08:
      return 0x62; // \b
    case 0x09:
      return 0x74; // \t
    case 0x0a:
      return 0x6e; // \n
    case 0x0c:
      return 0x66; // \f
    case 0x0d:
      return 0x72; // \r
    case 0x22:
    case 0x5c:
      return code; // \" and \\
    default:
      return -1;
  }
}

/** A string as JSON.stringify quotes it: short escapes, `\u00xx` for other controls and lone surrogates. */
function matchString(value: string, text: string, at: number): number {
  if (text.charCodeAt(at) !== 0x22) return -1;
  let position = at + 1;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    const short = shortEscape(code);
    if (short >= 0) {
      if (text.charCodeAt(position) !== 0x5c || text.charCodeAt(position + 1) !== short) return -1;
      position += 2;
    } else if (code < 0x20 || isLoneSurrogate(value, index, code)) {
      if (text.charCodeAt(position) !== 0x5c || text.charCodeAt(position + 1) !== 0x75) return -1;
      for (let shift = 12; shift >= 0; shift -= 4) {
        const digit = (code >> shift) & 0xf;
        const expected = digit < 10 ? 0x30 + digit : 0x61 + digit - 10;
        if (text.charCodeAt(position + 2 + (12 - shift) / 4) !== expected) return -1;
      }
      position += 6;
    } else {
      if (text.charCodeAt(position) !== code) return -1;
      position++;
    }
  }
  return text.charCodeAt(position) === 0x22 ? position + 1 : -1;
}

function isLoneSurrogate(value: string, index: number, code: number): boolean {
  if (code < 0xd800 || code > 0xdfff) return false;
  if (code <= 0xdbff) {
    const next = value.charCodeAt(index + 1);
    return !(next >= 0xdc00 && next <= 0xdfff);
  }
  const previous = index > 0 ? value.charCodeAt(index - 1) : 0;
  return !(previous >= 0xd800 && previous <= 0xdbff);
}
