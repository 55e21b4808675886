/**
 * The counts of the long texts counted last, found by length and compared, not hashed: Claude
 * Code resends its system prompt and every earlier turn with each request, each time as new
 * strings, and finding them in the count cache (a `Map` keyed by the text) hashed every character
 * of them: about two thirds of a warm count of a Claude Code request. Comparing a text with the
 * one last counted at its length stops at the first difference and costs a memory compare when
 * they are the same.
 * @module
 */

/** Shorter texts cost little to hash; they are left to the count cache. */
export const minRecentTextLength = 256;
/** Bounds of the texts kept (past either, all are forgotten). */
const maxRecentTexts = 1024;
const maxRecentChars = 4_000_000;

export class RecentCounts {
  private readonly byLength = new Map<number, { text: string; count: number }>();
  private chars = 0;

  /** The count last kept for `text`, or undefined. */
  get(text: string): number | undefined {
    const recent = this.byLength.get(text.length);
    return recent !== undefined && recent.text === text ? recent.count : undefined;
  }

  /** Keeps an exact count of `text` (at least {@link minRecentTextLength} long). */
  set(text: string, count: number): void {
    if (text.length > maxRecentChars) return;
    const replaced = this.byLength.get(text.length);
    if (replaced !== undefined) this.chars -= replaced.text.length;
    else if (this.byLength.size >= maxRecentTexts || this.chars + text.length > maxRecentChars) {
      this.clear();
    }
    this.byLength.set(text.length, { text, count });
    this.chars += text.length;
  }

  clear(): void {
    this.byLength.clear();
    this.chars = 0;
  }
}
