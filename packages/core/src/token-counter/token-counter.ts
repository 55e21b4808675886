import { LRUCache } from 'lru-cache';
import { getCl100kEncoder, loadCl100kEncoder } from './cl100k-encoder.js';
import {
  forEachCountedText,
  forEachCountedTextBesideTools,
  forEachCountedToolText,
  jsonText,
} from './request-texts.js';
import { RecentCounts, minRecentTextLength } from './recent-counts.js';
import { ResentTexts } from './resent-texts.js';
import { defaultMaxRunLength, estimateTokens, nextPieceEnd } from './split-long-runs.js';

/** Tuning knobs of {@link TokenCounter}; the defaults suit a gateway. */
export interface TokenCounterOptions {
  /**
   * Memory bound of the count cache, in characters of cached text (default 8M, about 16 MB of
   * strings plus bookkeeping).
   */
  cacheMaxChars?: number;
  /** Texts shorter than this are encoded directly rather than cached (default 32). */
  minCachedLength?: number;
  /** Pre-token runs longer than this are encoded in pieces (default 128; see `nextPieceEnd`). */
  maxRunLength?: number;
  /**
   * Work bound: characters actually encoded per `countRequest`/`countText` call (default 4M). Text
   * beyond it, which no real request reaches, is estimated instead of encoded.
   */
  maxEncodedCharsPerCall?: number;
  /** See {@link TokenCounter.toolsTextOf}. */
  toolsTextOf?: ToolsTextOf;
}

/**
 * The JSON text a request's `tools` were parsed from, given only while reading `request.tools`
 * would give exactly what that text parses to (nothing has read or changed them since), else
 * undefined. The gateway knows this of the requests it parsed (see the server's
 * `request/tools-source.ts`); the counter then counts each distinct tools text once.
 */
export type ToolsTextOf = (request: object) => string | undefined;

/** The parts of a Messages request that are counted. */
export interface CountableRequest {
  messages?: unknown;
  system?: unknown;
  tools?: unknown;
}

/** Cache statistics, for metrics and tests. */
export interface TokenCounterCacheStats {
  entries: number;
  /** Characters of cached text (plus a small per-entry overhead). */
  size: number;
  hits: number;
  misses: number;
}

const entryOverhead = 64;
/** Distinct tools texts whose count is kept (the gateway keeps 16 tool sets; a few more is cheap). */
const maxToolsTexts = 32;
/** Bound of the texts {@link TokenCounter} finds again for resent request parts, in characters. */
const maxResentTextChars = 1_000_000;
/** Special-token strings such as `<|endoftext|>` are counted as ordinary text, as tiktoken's `encode_ordinary` does. */
const ordinaryText = { disallowedSpecial: new Set<string>() };

/**
 * Counts tokens the way claude-code-router does (`cl100k_base`, see `forEachCountedText`),
 * fast enough for the hot path: each distinct text is encoded once and its count kept in a bounded
 * LRU, so the tools and system prompt that Claude Code resends on every turn, and all earlier turns
 * of a conversation, cost a hash lookup. Hostile input stays linear (long runs are split, and the
 * characters encoded per call are capped).
 *
 * @example
 * const counter = getDefaultTokenCounter();
 * counter.countRequest({ system: 'You are terse.', messages: [{ role: 'user', content: 'hi' }] });
 */
export class TokenCounter {
  private readonly cache: LRUCache<string, number>;
  private readonly minCachedLength: number;
  private readonly maxRunLength: number;
  private readonly maxEncodedCharsPerCall: number;
  private readonly resentTexts = new ResentTexts(maxResentTextChars);
  /** A tools text (see {@link ToolsTextOf}) → the tokens of its tools. */
  private readonly toolsCounts: LRUCache<string, number>;
  private readonly recentCounts = new RecentCounts();
  private budget = 0;
  private hits = 0;
  private misses = 0;

  /**
   * Set by whoever parsed the requests and knows the text of their tools (the gateway sets it on
   * the counter it uses): a request whose tools are unread and were seen before gets their count
   * without reading them, so Claude Code's 60 KB of tools are not parsed for a count on every turn.
   * Counts are the same either way.
   */
  toolsTextOf: ToolsTextOf | undefined;

  constructor(options: TokenCounterOptions = {}) {
    this.toolsTextOf = options.toolsTextOf;
    this.minCachedLength = options.minCachedLength ?? 32;
    this.maxRunLength = options.maxRunLength ?? defaultMaxRunLength;
    this.maxEncodedCharsPerCall = options.maxEncodedCharsPerCall ?? 4_000_000;
    this.cache = new LRUCache<string, number>({
      maxSize: options.cacheMaxChars ?? 8_000_000,
      sizeCalculation: (_count, key) => key.length + entryOverhead,
    });
    this.toolsCounts = new LRUCache<string, number>({ max: maxToolsTexts });
  }

  /**
   * Loads the tokenizer tables (otherwise loaded by the first count) and runs one encode so the
   * first real count does not pay for JIT warm-up.
   */
  warmUp(): void {
    encodeLength('warm up the cl100k_base encoder');
  }

  /**
   * Like {@link warmUp}, and also waits for the tokenizer where it can only load asynchronously (a
   * bundle that inlined gpt-tokenizer); until then counts there are estimates. Never rejects.
   */
  async load(): Promise<void> {
    await loadCl100kEncoder();
    this.warmUp();
  }

  /** Tokens of a request's system, messages and tools; never throws on malformed input. */
  countRequest(request: CountableRequest): number {
    this.budget = this.maxEncodedCharsPerCall;
    let total = 0;
    const visitText = (text: string) => {
      total += this.countCached(text);
    };
    const visitValue = (value: unknown, key?: string) => {
      const text = key === undefined ? jsonText(value) : this.resentTexts.jsonText(value, key);
      if (text !== undefined) total += this.countCached(text);
    };
    const visitJoined = (prefix: string, text: string) => {
      total += this.countCached(this.resentTexts.joinedText(prefix, text));
    };
    const toolsText =
      this.toolsTextOf && request !== null && typeof request === 'object'
        ? this.toolsTextOf(request)
        : undefined;
    if (toolsText === undefined) {
      forEachCountedText(request, visitText, visitValue, visitJoined);
      return total;
    }
    // The same texts in the same order as above (so the same work budget), the tools' from cache.
    forEachCountedTextBesideTools(request, visitText, visitValue);
    const known = this.toolsCounts.get(toolsText);
    if (known !== undefined) {
      this.hits++;
      return total + known;
    }
    const beforeTools = total;
    const estimatesBefore = estimatesMade;
    forEachCountedToolText(request.tools, visitValue, visitJoined);
    // Only an exact count is kept: a later request with more budget left can do better.
    if (estimatesMade === estimatesBefore) this.toolsCounts.set(toolsText, total - beforeTools);
    return total;
  }

  /**
   * The seed plan's spelling: tokens of a text ({@link countText}) or of a request
   * ({@link countRequest}). Synchronous; `await`ing it works as the plan does.
   */
  count(input: string | CountableRequest): number {
    return typeof input === 'string' ? this.countText(input) : this.countRequest(input);
  }

  /** Tokens of one text (`cl100k_base`, special tokens counted as ordinary text). */
  countText(text: string): number {
    if (typeof text !== 'string') return 0;
    this.budget = this.maxEncodedCharsPerCall;
    return this.countCached(text);
  }

  getCacheStats(): TokenCounterCacheStats {
    return {
      entries: this.cache.size,
      size: this.cache.calculatedSize,
      hits: this.hits,
      misses: this.misses,
    };
  }

  clearCache(): void {
    this.cache.clear();
    this.resentTexts.clear();
    this.toolsCounts.clear();
    this.recentCounts.clear();
    this.hits = 0;
    this.misses = 0;
  }

  private countCached(text: string): number {
    if (text.length < this.minCachedLength) return this.countUncached(text);
    const long = text.length >= minRecentTextLength;
    const recent = long ? this.recentCounts.get(text) : undefined;
    if (recent !== undefined) {
      this.hits++;
      return recent;
    }
    const cached = this.cache.get(text);
    if (cached !== undefined) {
      this.hits++;
      if (long) this.recentCounts.set(text, cached);
      return cached;
    }
    this.misses++;
    const estimatedBefore = this.budget < text.length;
    const count = this.countUncached(text);
    // An estimate is not the true count: keep it out of the cache so a later call can do better.
    if (!estimatedBefore && encoderLoaded()) {
      this.cache.set(text, count);
      if (long) this.recentCounts.set(text, count);
    }
    return count;
  }

  private countUncached(text: string): number {
    if (text.length === 0) return 0;
    if (this.budget <= 0) return estimate(text);
    if (text.length > this.budget) {
      const head = text.slice(0, this.budget);
      return this.countUncached(head) + estimate(text.slice(head.length));
    }
    this.budget -= text.length;
    let end = nextPieceEnd(text, 0, this.maxRunLength);
    if (end === text.length) return encodeLength(text);
    let count = 0;
    // Piece by piece: a multi-megabyte run is walked without holding an array of its pieces.
    for (
      let start = 0;
      start < text.length;
      start = end, end = nextPieceEnd(text, start, this.maxRunLength)
    ) {
      const segment = text.slice(start, end);
      if (segment.length < this.minCachedLength) {
        count += encodeLength(segment);
        continue;
      }
      // Pieces of a run repeat (100k "a" is 780 identical pieces): cache them too.
      const cached = this.cache.get(segment);
      if (cached !== undefined) count += cached;
      else {
        const pieceCount = encodeLength(segment);
        if (encoderLoaded()) this.cache.set(segment, pieceCount);
        count += pieceCount;
      }
    }
    return count;
  }
}

/**
 * `cl100k_base` token count. The encoder is gpt-tokenizer's pure-JS implementation of the same
 * encoding tiktoken uses (the tests check every fixture against tiktoken token for token): it needs
 * no WASM, loads in well under 100 ms instead of 200–700 ms, and encodes Claude Code's 76 KB
 * request several times faster, which keeps a cold count under the 5 ms budget. It is loaded by
 * the first count (see `cl100k-encoder.ts`), not when this module is imported.
 */
function encodeLength(text: string): number {
  const encoder = getCl100kEncoder();
  if (!encoder) return estimate(text);
  try {
    return encoder.countTokens(text, ordinaryText);
  } catch {
    // A count must never take a request down; fall back to the length estimate.
    return estimate(text);
  }
}

/** Estimates made so far (a count that made none is exact; counting is synchronous). */
let estimatesMade = 0;

function estimate(text: string): number {
  estimatesMade++;
  return estimateTokens(text);
}

/** False only while a bundle that inlined gpt-tokenizer is still loading it (counts are estimates). */
function encoderLoaded(): boolean {
  return getCl100kEncoder() !== undefined;
}

let defaultCounter: TokenCounter | undefined;

/** The process-wide counter (one cache shared by the router, the server and count_tokens). */
export function getDefaultTokenCounter(): TokenCounter {
  defaultCounter ??= new TokenCounter();
  return defaultCounter;
}
