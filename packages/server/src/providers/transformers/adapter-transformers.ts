import type { TransformerDefinition } from './transformer-types.js';

/** `gemini` (CCR): the upstream is the Gemini API (`api_base_url` = `…/v1beta/models/`). */
export const geminiTransformer: TransformerDefinition = {
  name: 'gemini',
  description: 'Gemini API generateContent / streamGenerateContent with x-goog-api-key.',
  adapter: 'gemini',
  create: () => ({ name: 'gemini' }),
};

const reasoningSummaryModes = ['auto', 'detailed'];

/**
 * `openai-responses` (CCR): the upstream is OpenAI's Responses API (`…/v1/responses`). Conduit
 * option `reasoningSummary`: `auto` (default) or `detailed` (CCR always asks for `detailed`).
 */
export const openaiResponsesTransformer: TransformerDefinition = {
  name: 'openai-responses',
  description: 'OpenAI Responses API (gpt-5 family, codex models).',
  adapter: 'openai-responses',
  validateOptions: options =>
    options.reasoningSummary === undefined ||
    reasoningSummaryModes.includes(String(options.reasoningSummary))
      ? []
      : ['option "reasoningSummary" must be "auto" or "detailed".'],
  create: options => ({
    name: 'openai-responses',
    settings:
      options.reasoningSummary === undefined ? {} : { reasoningSummary: options.reasoningSummary },
  }),
};

const vertexAlternatives =
  'use the "gemini" transformer with a Gemini API key (api_base_url "https://generativelanguage.googleapis.com/v1beta/models/"), ' +
  'the "Anthropic" transformer against an Anthropic-compatible endpoint, an OpenAI-compatible gateway in front of Vertex (e.g. LiteLLM), or a Conduit plugin that supplies the Google credentials.';

function unsupportedVertex(name: string): TransformerDefinition {
  const message = `${name} is not supported by Conduit yet: Vertex AI needs Google service-account OAuth (GOOGLE_APPLICATION_CREDENTIALS), which Conduit does not implement.`;
  return {
    name,
    description: `${name} (CCR): not supported.`,
    unsupported: { message, hint: vertexAlternatives },
    create: () => {
      throw new Error(message);
    },
  };
}

/**
 * CCR's Vertex transformers. Vertex needs a Google OAuth access token minted from a
 * service-account key (google-auth-library and network access to Google), which Conduit does not
 * ship; a config naming them is refused at start with the alternatives.
 */
export const vertexTransformers: readonly TransformerDefinition[] = [
  unsupportedVertex('vertex-gemini'),
  unsupportedVertex('vertex-claude'),
  unsupportedVertex('vertex-openai'),
];
