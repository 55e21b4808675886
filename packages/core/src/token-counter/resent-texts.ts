/**
 * The texts the token counter built for request parts that Claude Code resends unchanged on every
 * turn (each tool's `name + description` and schema, earlier tool inputs and results), found again
 * without building them: joining a description or stringifying a schema allocated about 80 KB per
 * request, and the string found is the count cache's key, already hashed.
 * @module
 */
import { jsonTextEquals } from './json-text-equals.js';
import { jsonText } from './request-texts.js';

export class ResentTexts {
  /** A tool's description → the `name + description` text last built for it. */
  private readonly joined = new Map<string, string>();
  /** A tool's name or a tool_use id → the JSON text last built for its value. */
  private readonly json = new Map<string, string>();
  private chars = 0;

  /** @param maxChars bound of the texts kept, in characters; past it all are forgotten. */
  constructor(private readonly maxChars: number) {}

  /** `prefix + text`, the same string as last time for the same `text` when it still matches. */
  joinedText(prefix: string, text: string): string {
    const known = this.joined.get(text);
    // `known` is some prefix + `text`: the same length and the same start make it this one.
    if (known !== undefined && known.length === prefix.length + text.length) {
      if (known.startsWith(prefix)) return known;
    }
    const joined = prefix + text;
    this.remember(this.joined, text, joined, known);
    return joined;
  }

  /** `JSON.stringify(value)`, the same string as last time for `key` when the value is unchanged. */
  jsonText(value: unknown, key: string): string | undefined {
    const known = this.json.get(key);
    if (known !== undefined && jsonTextEquals(value, known)) return known;
    const text = jsonText(value);
    if (text !== undefined) this.remember(this.json, key, text, known);
    return text;
  }

  clear(): void {
    this.joined.clear();
    this.json.clear();
    this.chars = 0;
  }

  private remember(
    texts: Map<string, string>,
    key: string,
    text: string,
    replaced: string | undefined,
  ): void {
    if (replaced !== undefined) this.chars -= replaced.length;
    if (this.chars + text.length > this.maxChars) {
      this.clear();
      if (text.length > this.maxChars) return;
    }
    texts.set(key, text);
    this.chars += text.length;
  }
}
