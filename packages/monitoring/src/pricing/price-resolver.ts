import {
  ConfigError,
  type ConfigIssue,
  type Logger,
  modelPriceSchema,
  silentLogger,
} from '@conduit/core';
import type { ModelPrice } from '@conduit/core';
import { normalizeModelId } from './normalize-model-id.js';
import { PRICING_TABLE_DATE, type PricingTableEntry, pricingTable } from './pricing-table.js';

/** Where a resolved price came from. */
export type PriceSource = 'override' | 'table' | 'free';

/** A price found for a `provider,model`. */
export interface ResolvedPrice {
  price: ModelPrice;
  source: PriceSource;
  /** The key that matched (an override key or a canonical table id). */
  key: string;
  /** Set when the table price is an assumption (see the price table). */
  note?: string;
}

export interface PriceResolverOptions {
  /** `usage.pricing`: prices keyed by `provider,model` or `model` (USD per million tokens). */
  overrides?: Record<string, ModelPrice>;
  /** Replaces the built-in table (tests, or a table maintained elsewhere). */
  table?: Readonly<Record<string, PricingTableEntry>>;
  /** Receives one warning per `provider,model` without a price. */
  logger?: Logger;
}

const freePrice: ModelPrice = Object.freeze({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });

/**
 * Finds the price of a `provider,model`: config overrides first (`provider,model`, then `model`;
 * exact spelling, then canonical), then the built-in table by canonical id. Dated ids
 * (`claude-sonnet-4-20250514`) and OpenRouter ids (`anthropic/claude-sonnet-4.5`) resolve to their
 * family. An unknown model resolves to `null` and is logged once. Results are cached, so the lookup
 * is O(1) on the request path.
 *
 * @example
 * const prices = new PriceResolver({ overrides: { 'deepseek,deepseek-chat': { input: 0.27, output: 1.1 } } });
 * prices.resolve('openrouter', 'anthropic/claude-sonnet-4.5')?.price; // { input: 3, output: 15, … }
 */
export class PriceResolver {
  private readonly exactOverrides = new Map<string, ModelPrice>();
  private readonly canonicalOverrides = new Map<string, { price: ModelPrice; key: string }>();
  private readonly table: Readonly<Record<string, PricingTableEntry>>;
  private readonly logger: Logger;
  private readonly cache = new Map<string, ResolvedPrice | null>();
  /** The pair resolved last: most requests in a row go to the same provider and model. */
  private lastProvider: string | undefined;
  private lastModel: string | undefined;
  private lastResolved: ResolvedPrice | null = null;

  constructor(options: PriceResolverOptions = {}) {
    this.table = options.table ?? pricingTable;
    this.logger = options.logger ?? silentLogger;
    const issues: ConfigIssue[] = [];
    for (const [key, value] of Object.entries(options.overrides ?? {})) {
      const parsed = modelPriceSchema.safeParse(value);
      if (!parsed.success) {
        issues.push({
          path: `usage.pricing["${key}"]`,
          message: `is not a valid price: ${parsed.error.issues.map(issue => `${issue.path.join('.') || '(value)'} ${issue.message}`).join('; ')}`,
          hint: 'Write prices in USD per million tokens, e.g. { "input": 3, "output": 15, "cacheRead": 0.3, "cacheWrite": 3.75 }.',
        });
        continue;
      }
      const canonicalKey = canonicalOverrideKey(key);
      if (canonicalKey === null) {
        issues.push({
          path: `usage.pricing["${key}"]`,
          message: 'has an empty provider or model name.',
          hint: 'Key prices by "provider,model" or "model".',
        });
        continue;
      }
      this.exactOverrides.set(key, parsed.data);
      this.canonicalOverrides.set(canonicalKey, { price: parsed.data, key });
    }
    if (issues.length > 0) throw new ConfigError({ issues });
  }

  /** The price of `model` served by `provider`, or `null` (logged once) when it is unknown. */
  resolve(provider: string, model: string): ResolvedPrice | null {
    if (provider === this.lastProvider && model === this.lastModel) return this.lastResolved;
    const resolved = this.resolveUncached(provider, model);
    this.lastProvider = provider;
    this.lastModel = model;
    this.lastResolved = resolved;
    return resolved;
  }

  private resolveUncached(provider: string, model: string): ResolvedPrice | null {
    const cacheKey = `${provider}\u0000${model}`;
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined) return cached;
    const resolved = this.lookup(provider, model);
    if (resolved === null) {
      this.logger.warn('No price known for model; its usage is recorded with cost null', {
        provider,
        model,
        pricingTableDate: PRICING_TABLE_DATE,
        fix: `Add a price under usage.pricing["${provider},${model}"] (USD per million tokens).`,
      });
    }
    this.cache.set(cacheKey, resolved);
    return resolved;
  }

  private lookup(provider: string, model: string): ResolvedPrice | null {
    const exactPair = `${provider},${model}`;
    const pairOverride = this.exactOverrides.get(exactPair);
    if (pairOverride) return { price: pairOverride, source: 'override', key: exactPair };
    const normalized = normalizeModelId(model);
    const canonicalPair = this.canonicalOverrides.get(
      `${provider.trim().toLowerCase()},${normalized.id}`,
    );
    if (canonicalPair)
      return { price: canonicalPair.price, source: 'override', key: canonicalPair.key };
    const modelOverride = this.exactOverrides.get(model);
    if (modelOverride) return { price: modelOverride, source: 'override', key: model };
    const canonicalModel = this.canonicalOverrides.get(normalized.id);
    if (canonicalModel) {
      return { price: canonicalModel.price, source: 'override', key: canonicalModel.key };
    }
    if (normalized.free) return { price: freePrice, source: 'free', key: `${normalized.id}:free` };
    const entry = this.table[normalized.id];
    if (!entry) return null;
    const { note, ...tablePrice } = entry;
    return note === undefined
      ? { price: tablePrice, source: 'table', key: normalized.id }
      : { price: tablePrice, source: 'table', key: normalized.id, note };
  }
}

function canonicalOverrideKey(key: string): string | null {
  const comma = key.indexOf(',');
  if (comma === -1) {
    const model = normalizeModelId(key).id;
    return model.length > 0 ? model : null;
  }
  const provider = key.slice(0, comma).trim().toLowerCase();
  const model = normalizeModelId(key.slice(comma + 1)).id;
  return provider.length > 0 && model.length > 0 ? `${provider},${model}` : null;
}
