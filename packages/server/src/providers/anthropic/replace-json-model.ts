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
        const name = JSON.parse(jsonText.slice(index, stringEnd)) as string;
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

function skipWhitespace(text: string, start: number): number {
  let index = start;
  while (index < text.length && /\s/.test(text[index]!)) index++;
  return index;
}
