/**
 * Replaces the value of the top-level `"model"` key in a JSON object text, leaving every other
 * byte as it was: the Anthropic passthrough must forward Claude Code's body unchanged apart from
 * the routed model (re-serializing would reorder nothing but could change number and escape
 * spelling, and costs time on 100 KB bodies). Returns undefined when the text has no top-level
 * `"model"` string (the caller then re-serializes).
 */
export function replaceJsonModel(jsonText: string, model: string): string | undefined {
  const span = findTopLevelStringValue(jsonText, 'model');
  if (!span) return undefined;
  return `${jsonText.slice(0, span.start)}${JSON.stringify(model)}${jsonText.slice(span.end)}`;
}

/**
 * {@link replaceJsonModel} on UTF-8 bytes, without decoding them: the scan runs over their Latin-1
 * text (one character per byte, so offsets are byte offsets; JSON's quotes, brackets and
 * backslashes are ASCII and never part of a multi-byte character), and the bytes around the value
 * are copied as they are. No large two-byte string is made for a body with non-ASCII text.
 */
export function replaceJsonModelBytes(
  json: Uint8Array,
  model: string,
): Uint8Array<ArrayBuffer> | undefined {
  const bytes = Buffer.isBuffer(json)
    ? json
    : Buffer.from(json.buffer, json.byteOffset, json.length);
  const span = findTopLevelStringValue(bytes.toString('latin1'), 'model');
  if (!span) return undefined;
  return Buffer.concat([
    bytes.subarray(0, span.start),
    Buffer.from(JSON.stringify(model), 'utf8'),
    bytes.subarray(span.end),
  ]);
}

/** Start (at the opening quote) and end (after the closing quote) of a top-level string value. */
export function findTopLevelStringValue(
  jsonText: string,
  key: string,
): { start: number; end: number } | undefined {
  let depth = 0;
  let index = 0;
  let expectingKey = false;
  const length = jsonText.length;
  while (index < length) {
    const character = jsonText[index];
    if (character === '"') {
      const stringEnd = skipString(jsonText, index);
      if (depth === 1 && expectingKey) {
        const name = readKey(jsonText, index, stringEnd);
        let cursor = skipWhitespace(jsonText, stringEnd);
        if (jsonText[cursor] !== ':') return undefined;
        cursor = skipWhitespace(jsonText, cursor + 1);
        if (name === key && jsonText[cursor] === '"') {
          return { start: cursor, end: skipString(jsonText, cursor) };
        }
        expectingKey = false;
        index = cursor;
        continue;
      }
      index = stringEnd;
      continue;
    }
    if (character === '{' || character === '[') {
      depth++;
      expectingKey = depth === 1 && character === '{';
    } else if (character === '}' || character === ']') {
      depth--;
    } else if (character === ',' && depth === 1) {
      expectingKey = true;
    }
    index++;
  }
  return undefined;
}

function skipString(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length) {
    const character = text[index];
    if (character === '\\') index += 2;
    else if (character === '"') return index + 1;
    else index++;
  }
  return text.length;
}

/**
 * The key whose quoted text is `text[start..end)`: the characters between the quotes when they are
 * plain (no escape, no control character: the usual key), else `JSON.parse` of it, as before.
 */
function readKey(text: string, start: number, end: number): string {
  let plain = end - start >= 2 && text.charCodeAt(end - 1) === 34;
  for (let index = start + 1; plain && index < end - 1; index++) {
    const code = text.charCodeAt(index);
    plain = code >= 0x20 && code !== 92;
  }
  return plain ? text.slice(start + 1, end - 1) : (JSON.parse(text.slice(start, end)) as string);
}

function skipWhitespace(text: string, start: number): number {
  let index = start;
  while (index < text.length && isSpace(text.charCodeAt(index))) index++;
  return index;
}

/** The regular expression `\s` on one character, without a regular expression per character. */
function isSpace(code: number): boolean {
  if (code === 32 || (code >= 9 && code <= 13) || code === 0xa0) return true;
  return code > 0xff && /\s/.test(String.fromCharCode(code));
}
