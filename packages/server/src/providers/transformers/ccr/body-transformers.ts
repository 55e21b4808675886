import type { TransformerDefinition } from '../transformer-types.js';
import {
  capOutputTokens,
  mergeKeepingExisting,
  noOptionsProblems,
  numberOptionProblems,
  removeCacheControl,
} from './transformer-options.js';

/** `maxtoken` (CCR): caps — never sets — the output-token limit at option `max_tokens`. */
export const maxtokenTransformer: TransformerDefinition = {
  name: 'maxtoken',
  description: 'Caps max_tokens at the "max_tokens" option.',
  validateOptions: options => {
    if (options.max_tokens === undefined)
      return ['option "max_tokens" is required (the cap, e.g. 65536).'];
    return numberOptionProblems(options, ['max_tokens'], { integer: true, positive: true });
  },
  create: options => {
    const limit = options.max_tokens as number;
    return {
      name: 'maxtoken',
      transformRequestBody: body => {
        capOutputTokens(body, limit);
        return body;
      },
    };
  },
};

/** `maxcompletiontokens` (CCR): renames `max_tokens` to `max_completion_tokens` (o-series, gpt-5). */
export const maxcompletiontokensTransformer: TransformerDefinition = {
  name: 'maxcompletiontokens',
  description: 'Sends max_tokens as max_completion_tokens.',
  validateOptions: options => noOptionsProblems('maxcompletiontokens', options),
  create: () => ({
    name: 'maxcompletiontokens',
    transformRequestBody: body => {
      if (body.max_tokens !== undefined) {
        body.max_completion_tokens = body.max_tokens;
        delete body.max_tokens;
      }
      return body;
    },
  }),
};

const samplingOptions = ['temperature', 'top_p', 'top_k', 'repetition_penalty'] as const;

/**
 * `sampling` (CCR): caps `max_tokens` (option `max_tokens`) and forces `temperature`, `top_p`,
 * `top_k`, `repetition_penalty` to the configured values (Gemini bodies: the matching
 * `generationConfig` fields).
 */
export const samplingTransformer: TransformerDefinition = {
  name: 'sampling',
  description: 'Caps max_tokens and forces temperature/top_p/top_k/repetition_penalty.',
  validateOptions: options => [
    ...numberOptionProblems(options, ['max_tokens', 'top_k'], { integer: true, positive: true }),
    ...numberOptionProblems(options, ['temperature', 'top_p', 'repetition_penalty']),
  ],
  create: options => ({
    name: 'sampling',
    transformRequestBody: body => {
      if (typeof options.max_tokens === 'number') capOutputTokens(body, options.max_tokens);
      const generationConfig = body.generationConfig as Record<string, unknown> | undefined;
      const geminiNames: Record<string, string> = {
        temperature: 'temperature',
        top_p: 'topP',
        top_k: 'topK',
      };
      for (const name of samplingOptions) {
        if (options[name] === undefined) continue;
        if (generationConfig && geminiNames[name])
          generationConfig[geminiNames[name]] = options[name];
        else if (!generationConfig) body[name] = options[name];
      }
      return body;
    },
  }),
};

/**
 * `customparams` (CCR): deep-merges the options into the body. New keys are added and objects are
 * merged; an existing scalar in the body wins over the option, as in CCR.
 */
export const customparamsTransformer: TransformerDefinition = {
  name: 'customparams',
  description: 'Deep-merges the options into the request body (existing scalars kept).',
  create: options => ({
    name: 'customparams',
    transformRequestBody: body => {
      mergeKeepingExisting(body, options);
      return body;
    },
  }),
};

/** `streamoptions` (CCR): asks for usage at the end of streams (`stream_options.include_usage`). */
export const streamoptionsTransformer: TransformerDefinition = {
  name: 'streamoptions',
  description: 'Adds stream_options.include_usage to streaming requests.',
  validateOptions: options => noOptionsProblems('streamoptions', options),
  create: () => ({
    name: 'streamoptions',
    transformRequestBody: body => {
      if (body.stream === true) body.stream_options = { include_usage: true };
      return body;
    },
  }),
};

/** `cleancache` (CCR): removes `cache_control` markers from messages and their content. */
export const cleancacheTransformer: TransformerDefinition = {
  name: 'cleancache',
  description: 'Removes cache_control from messages.',
  validateOptions: options => noOptionsProblems('cleancache', options),
  create: () => ({
    name: 'cleancache',
    transformRequestBody: body => {
      removeCacheControl(body);
      return body;
    },
  }),
};

/**
 * `cerebras` (CCR): Cerebras rejects the `reasoning` object; it is removed, and without it
 * `disable_reasoning: false` is sent (CCR's behaviour: reasoning models keep reasoning on).
 */
export const cerebrasTransformer: TransformerDefinition = {
  name: 'cerebras',
  description: 'Cerebras: removes "reasoning" (or sets disable_reasoning: false).',
  validateOptions: options => noOptionsProblems('cerebras', options),
  create: () => ({
    name: 'cerebras',
    transformRequestBody: body => {
      if (body.reasoning !== undefined) delete body.reasoning;
      else body.disable_reasoning = false;
      return body;
    },
  }),
};
