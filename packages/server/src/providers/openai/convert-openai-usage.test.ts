import { describe, expect, it } from '@jest/globals';
import { convertOpenAIUsage } from './convert-openai-usage.js';

describe('convertOpenAIUsage', () => {
  it.each([
    [
      'plain',
      { prompt_tokens: 100, completion_tokens: 20 },
      {
        input_tokens: 100,
        output_tokens: 20,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    ],
    [
      'OpenAI cached tokens are cache reads, excluded from input',
      { prompt_tokens: 100, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 60 } },
      {
        input_tokens: 40,
        output_tokens: 5,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 60,
      },
    ],
    [
      'DeepSeek cache hits',
      { prompt_tokens: 50, completion_tokens: 1, prompt_cache_hit_tokens: 30 },
      {
        input_tokens: 20,
        output_tokens: 1,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 30,
      },
    ],
    [
      'missing numbers are zero',
      {},
      {
        input_tokens: 0,
        output_tokens: 0,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    ],
  ])('%s', (_name, usage, expected) => {
    expect(convertOpenAIUsage(usage)).toEqual(expected);
  });
});
