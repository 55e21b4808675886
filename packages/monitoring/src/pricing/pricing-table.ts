/**
 * Built-in model prices in USD per million tokens.
 *
 * Keys are canonical model ids (see `normalizeModelId`): lower case, no vendor prefix, no date
 * suffix, dots between digits written as hyphens (`gpt-4.1` → `gpt-4-1`). `cacheRead` is the price
 * of a cache hit; `cacheWrite` the price of writing a prompt cache entry (Anthropic's 5-minute
 * cache write; vendors without a write surcharge bill it as input).
 *
 * Sources: the vendors' public pricing pages as last reviewed on {@link PRICING_TABLE_DATE}.
 * Entries marked `assumed` are models whose price was not published when the table was written;
 * they carry the price of their family. Users override any entry with `usage.pricing`.
 * @module
 */
import type { ModelPrice } from '@conduit/core';

/** When the built-in prices were last reviewed (ISO date). */
export const PRICING_TABLE_DATE = '2026-11-25';

/** A built-in price, with a note when the price is an assumption. */
export interface PricingTableEntry extends ModelPrice {
  /** Why the price may be inaccurate (e.g. assumed from the model family). */
  note?: string;
}

function price(
  input: number,
  output: number,
  cacheRead: number,
  cacheWrite: number,
  note?: string,
): PricingTableEntry {
  return note === undefined
    ? { input, output, cacheRead, cacheWrite }
    : { input, output, cacheRead, cacheWrite, note };
}

// Anthropic: cache write = 1.25x input (5-minute TTL), cache read = 0.1x input.
const claudeOpusLegacy = price(15, 75, 1.5, 18.75);
const claudeOpusCurrent = price(5, 25, 0.5, 6.25);
const claudeSonnet = price(3, 15, 0.3, 3.75);
const assumedOpus = 'assumed: priced as claude-opus-4-5 (no published price when reviewed)';
const assumedSonnet = 'assumed: priced as claude-sonnet-4-5 (no published price when reviewed)';

const anthropicPrices: Record<string, PricingTableEntry> = {
  'claude-3-haiku': price(0.25, 1.25, 0.03, 0.3),
  'claude-3-5-haiku': price(0.8, 4, 0.08, 1),
  'claude-haiku-4-5': price(1, 5, 0.1, 1.25),
  'claude-3-sonnet': claudeSonnet,
  'claude-3-5-sonnet': claudeSonnet,
  'claude-3-7-sonnet': claudeSonnet,
  'claude-sonnet-4': claudeSonnet,
  'claude-sonnet-4-5': claudeSonnet,
  'claude-sonnet-4-6': { ...claudeSonnet, note: assumedSonnet },
  'claude-sonnet-5': { ...claudeSonnet, note: assumedSonnet },
  'claude-3-opus': claudeOpusLegacy,
  'claude-opus-4': claudeOpusLegacy,
  'claude-opus-4-1': claudeOpusLegacy,
  'claude-opus-4-5': claudeOpusCurrent,
  'claude-opus-4-6': { ...claudeOpusCurrent, note: assumedOpus },
  'claude-opus-4-7': { ...claudeOpusCurrent, note: assumedOpus },
  'claude-opus-4-8': { ...claudeOpusCurrent, note: assumedOpus },
};

// OpenAI: cached input is discounted, there is no cache-write surcharge (write = input).
const openaiPrices: Record<string, PricingTableEntry> = {
  'gpt-4o': price(2.5, 10, 1.25, 2.5),
  'gpt-4o-mini': price(0.15, 0.6, 0.075, 0.15),
  'gpt-4-1': price(2, 8, 0.5, 2),
  'gpt-4-1-mini': price(0.4, 1.6, 0.1, 0.4),
  'gpt-4-1-nano': price(0.1, 0.4, 0.025, 0.1),
  'gpt-4-turbo': price(10, 30, 10, 10),
  o1: price(15, 60, 7.5, 15),
  'o1-mini': price(1.1, 4.4, 0.55, 1.1),
  o3: price(2, 8, 0.5, 2),
  'o3-mini': price(1.1, 4.4, 0.55, 1.1),
  'o3-pro': price(20, 80, 20, 20),
  'o4-mini': price(1.1, 4.4, 0.275, 1.1),
  'gpt-5': price(1.25, 10, 0.125, 1.25),
  'gpt-5-mini': price(0.25, 2, 0.025, 0.25),
  'gpt-5-nano': price(0.05, 0.4, 0.005, 0.05),
  'gpt-5-codex': price(1.25, 10, 0.125, 1.25),
  'gpt-5-1': price(1.25, 10, 0.125, 1.25),
  'gpt-5-1-codex': price(1.25, 10, 0.125, 1.25),
  'gpt-5-1-codex-mini': price(0.25, 2, 0.025, 0.25),
};

// Gemini: prices for prompts up to 200k tokens; context caching storage is not billed here, so a
// cache write is billed as input.
const geminiPrices: Record<string, PricingTableEntry> = {
  'gemini-2-0-flash': price(0.1, 0.4, 0.025, 0.1),
  'gemini-2-0-flash-lite': price(0.075, 0.3, 0.075, 0.075),
  'gemini-2-5-flash': price(0.3, 2.5, 0.03, 0.3),
  'gemini-2-5-flash-lite': price(0.1, 0.4, 0.01, 0.1),
  'gemini-2-5-pro': price(1.25, 10, 0.125, 1.25),
  'gemini-3-pro': price(2, 12, 0.2, 2),
};

// DeepSeek V3.2 (chat and reasoner share one price since 2025-09): cache hit vs miss.
const deepseekCurrent = price(0.28, 0.42, 0.028, 0.28);
const deepseekPrices: Record<string, PricingTableEntry> = {
  'deepseek-chat': deepseekCurrent,
  'deepseek-reasoner': deepseekCurrent,
};

// Models commonly routed to through OpenRouter; vendor list prices (OpenRouter passes them on).
const otherPrices: Record<string, PricingTableEntry> = {
  'grok-4': price(3, 15, 0.75, 3),
  'grok-code-fast-1': price(0.2, 1.5, 0.02, 0.2),
  'kimi-k2': price(0.6, 2.5, 0.15, 0.6),
  'glm-4-6': price(0.6, 2.2, 0.11, 0.6),
};

/** The built-in price table, keyed by canonical model id. */
export const pricingTable: Readonly<Record<string, PricingTableEntry>> = Object.freeze({
  ...anthropicPrices,
  ...openaiPrices,
  ...geminiPrices,
  ...deepseekPrices,
  ...otherPrices,
});

/**
 * Other spellings of the same model (after normalisation), mostly OpenRouter's ids for models the
 * vendor API names differently.
 */
export const modelAliases: Readonly<Record<string, string>> = Object.freeze({
  'deepseek-v3': 'deepseek-chat',
  'deepseek-chat-v3': 'deepseek-chat',
  'deepseek-chat-v3-1': 'deepseek-chat',
  'deepseek-v3-1': 'deepseek-chat',
  'deepseek-v3-1-terminus': 'deepseek-chat',
  'deepseek-v3-2': 'deepseek-chat',
  'deepseek-v3-2-exp': 'deepseek-chat',
  'deepseek-r1': 'deepseek-reasoner',
  'chatgpt-4o': 'gpt-4o',
  'claude-3-5-sonnet-v2': 'claude-3-5-sonnet',
  'claude-opus-4-0': 'claude-opus-4',
  'claude-sonnet-4-0': 'claude-sonnet-4',
  'kimi-k2-0905': 'kimi-k2',
  'kimi-k2-instruct': 'kimi-k2',
});
