import { modelAliases } from './pricing-table.js';

/** A model id reduced to the key of the price table. */
export interface NormalizedModelId {
  /** Canonical id: lower case, no vendor prefix, no date or tag suffix, `4.1` written `4-1`. */
  id: string;
  /** OpenRouter's `:free` variant (billed at zero). */
  free: boolean;
}

const bracketSuffix = /\[[^\]]*\]$/;
const bedrockVersionSuffix = /-v\d+:\d+$/;
const bedrockVendorPrefix =
  /^(?:[a-z]{2,4}\.)?(?:anthropic|amazon|meta|mistral|cohere|deepseek|openai)\./;
const vertexDateSuffix = /@[^@]*$/;
const dotBetweenDigits = /(\d)\.(?=\d)/g;
/** Suffixes that name a snapshot of a model rather than a different model. */
const snapshotSuffixes = [
  /-\d{8}$/, // claude-sonnet-4-20250514
  /-\d{4}-\d{2}-\d{2}$/, // gpt-4o-2024-08-06
  /-\d{2}-\d{2}$/, // gemini-2.5-pro-preview-06-05
  /-\d{4}$/, // deepseek-chat-v3-0324, gpt-4-0613
  /-\d{3}$/, // gemini-2.0-flash-001 (Vertex)
  /-latest$/,
  /-preview$/,
  /-exp$/,
  /-experimental$/,
  /-thinking$/,
];

/**
 * Reduces a model id as providers, OpenRouter, Bedrock or Vertex spell it to the canonical key of
 * the price table: `anthropic/claude-3.5-sonnet:beta` → `claude-3-5-sonnet`,
 * `claude-sonnet-4-20250514` → `claude-sonnet-4`, `gpt-4o-2024-08-06` → `gpt-4o`.
 */
export function normalizeModelId(model: string): NormalizedModelId {
  let id = model.trim().toLowerCase().replace(bracketSuffix, '');
  id = id.replace(bedrockVersionSuffix, '');
  let free = false;
  const colon = id.lastIndexOf(':');
  if (colon !== -1) {
    free = id.slice(colon + 1) === 'free';
    id = id.slice(0, colon);
  }
  id = id.slice(id.lastIndexOf('/') + 1);
  id = id.replace(bedrockVendorPrefix, '').replace(vertexDateSuffix, '');
  id = id.replace(dotBetweenDigits, '$1-');
  let changed = true;
  while (changed) {
    changed = false;
    for (const suffix of snapshotSuffixes) {
      const stripped = id.replace(suffix, '');
      if (stripped !== id && stripped.length > 0) {
        id = stripped;
        changed = true;
      }
    }
  }
  return { id: modelAliases[id] ?? id, free };
}
