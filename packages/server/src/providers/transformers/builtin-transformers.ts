import { type ReasoningFormat, reasoningFormats } from '../openai/map-thinking-to-reasoning.js';
import {
  geminiTransformer,
  openaiResponsesTransformer,
  vertexTransformers,
} from './adapter-transformers.js';
import {
  cerebrasTransformer,
  cleancacheTransformer,
  customparamsTransformer,
  maxcompletiontokensTransformer,
  maxtokenTransformer,
  samplingTransformer,
  streamoptionsTransformer,
} from './ccr/body-transformers.js';
import {
  extrathinktagTransformer,
  forcereasoningTransformer,
} from './ccr/think-tag-transformers.js';
import { enhancetoolTransformer, tooluseTransformer } from './ccr/tool-transformers.js';
import {
  deepseekTransformer,
  groqTransformer,
  openrouterTransformer,
  vercelTransformer,
} from './ccr/vendor-transformers.js';
import { booleanOptionProblems } from './ccr/transformer-options.js';
import { TransformerRegistry } from './transformer-registry.js';
import type { TransformerDefinition } from './transformer-types.js';

/**
 * `Anthropic`: the upstream speaks the Anthropic Messages API; the request is passed through with
 * only `model` replaced. Option `UseBearer: true` sends the key as `Authorization: Bearer`.
 */
export const anthropicTransformer: TransformerDefinition = {
  name: 'Anthropic',
  description: 'Anthropic Messages API passthrough (x-api-key, or Bearer with UseBearer).',
  adapter: 'anthropic',
  validateOptions: options => booleanOptionProblems(options, ['UseBearer']),
  create: options => ({ name: 'Anthropic', settings: { useBearer: options.UseBearer === true } }),
};

const midConversationSystemModes = ['system', 'user'];

/**
 * `OpenAI`: OpenAI-compatible chat completions (the default for any provider). Conduit options:
 * `midConversationSystem` (`system` | `user`) and `removeSchemaKeywords` (string list).
 */
export const openaiTransformer: TransformerDefinition = {
  name: 'OpenAI',
  description: 'OpenAI-compatible chat completions (the default).',
  adapter: 'openai',
  validateOptions: options => {
    const problems: string[] = [];
    const mode = options.midConversationSystem;
    if (mode !== undefined && !midConversationSystemModes.includes(String(mode))) {
      problems.push('option "midConversationSystem" must be "system" or "user".');
    }
    const keywords = options.removeSchemaKeywords;
    if (
      keywords !== undefined &&
      !(Array.isArray(keywords) && keywords.every(item => typeof item === 'string'))
    ) {
      problems.push('option "removeSchemaKeywords" must be a list of strings.');
    }
    return problems;
  },
  create: options => ({
    name: 'OpenAI',
    settings: {
      ...(options.midConversationSystem === undefined
        ? {}
        : { midConversationSystem: options.midConversationSystem }),
      ...(options.removeSchemaKeywords === undefined
        ? {}
        : { removedSchemaKeywords: options.removeSchemaKeywords }),
    },
  }),
};

/**
 * `reasoning` (CCR): thinking → the provider's reasoning controls. Option `enable` (default true;
 * `false` switches reasoning off with `thinking: {type: "disabled"}`, `enable_thinking: false`) and
 * Conduit's `format` (default `thinking`, CCR's output; see `ReasoningFormat`).
 */
export const reasoningTransformer: TransformerDefinition = {
  name: 'reasoning',
  description: 'Maps thinking to reasoning controls (enable, format).',
  validateOptions: options => {
    const problems = booleanOptionProblems(options, ['enable']);
    if (
      options.format !== undefined &&
      !reasoningFormats.includes(options.format as ReasoningFormat)
    ) {
      problems.push(`option "format" must be one of: ${reasoningFormats.join(', ')}.`);
    }
    return problems;
  },
  create: options => {
    if (options.enable === false) {
      return {
        name: 'reasoning',
        settings: { reasoningFormat: 'none' },
        transformRequestBody: body => {
          delete body.reasoning_effort;
          delete body.reasoning;
          body.thinking = { type: 'disabled' };
          body.enable_thinking = false;
          return body;
        },
      };
    }
    return {
      name: 'reasoning',
      settings: { reasoningFormat: (options.format as ReasoningFormat | undefined) ?? 'thinking' },
    };
  },
};

/** The built-in transformers: every CCR registry name (CCR's order). */
export const builtinTransformers: readonly TransformerDefinition[] = [
  anthropicTransformer,
  openaiTransformer,
  geminiTransformer,
  openaiResponsesTransformer,
  deepseekTransformer,
  openrouterTransformer,
  groqTransformer,
  cerebrasTransformer,
  vercelTransformer,
  maxtokenTransformer,
  maxcompletiontokensTransformer,
  samplingTransformer,
  customparamsTransformer,
  streamoptionsTransformer,
  tooluseTransformer,
  enhancetoolTransformer,
  reasoningTransformer,
  forcereasoningTransformer,
  extrathinktagTransformer,
  cleancacheTransformer,
  ...vertexTransformers,
];

/** A registry holding the built-in transformers. */
export function createDefaultTransformerRegistry(): TransformerRegistry {
  return new TransformerRegistry(builtinTransformers);
}
