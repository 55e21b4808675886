import { describe, expect, it } from '@jest/globals';
import { replaceJsonModel, replaceJsonModelBytes } from './replace-json-model.js';

describe('replaceJsonModel', () => {
  it.each([
    ['compact', '{"model":"claude","max_tokens":5}', '{"model":"deepseek-chat","max_tokens":5}'],
    [
      'pretty, model not first, nested model keys untouched',
      '{\n "messages": [{"role":"user","content":"{\\"model\\":\\"x\\"}","model":"inner"}],\n "model" : "claude-opus-4-8",\n "metadata": {"model": "keep"}\n}',
      '{\n "messages": [{"role":"user","content":"{\\"model\\":\\"x\\"}","model":"inner"}],\n "model" : "deepseek-chat",\n "metadata": {"model": "keep"}\n}',
    ],
    [
      'escaped quotes in values before the key',
      '{"system":"say \\"hi\\", \\\\","model":"a\\"b"}',
      '{"system":"say \\"hi\\", \\\\","model":"deepseek-chat"}',
    ],
  ])('%s', (_name, input, expected) => {
    expect(replaceJsonModel(input, 'deepseek-chat')).toBe(expected);
  });

  it.each([
    ['no model key', '{"messages":[]}'],
    ['model is not a string', '{"model":5}'],
    ['only nested model', '{"a":{"model":"x"}}'],
  ])('returns undefined: %s', (_name, input) => {
    expect(replaceJsonModel(input, 'm')).toBeUndefined();
  });

  it('reads a key spelled with escapes, and whitespace of every JSON kind', () => {
    expect(replaceJsonModel('{"mod\\u0065l"\t:\r\n "x", "m\\"odel": "y"}', 'm')).toBe(
      '{"mod\\u0065l"\t:\r\n "m", "m\\"odel": "y"}',
    );
  });

  it('escapes the new model id', () => {
    expect(JSON.parse(replaceJsonModel('{"model":"x"}', 'a"b\\c')!)).toEqual({ model: 'a"b\\c' });
  });
});

describe('replaceJsonModelBytes', () => {
  it('replaces the top-level model in UTF-8 bytes and keeps every other byte', () => {
    const text =
      '{"messages":[{"content":"é — 🤖 \\"model\\": \\"x\\""}],"model":"claude","k":"ü"}';
    const replaced = replaceJsonModelBytes(Buffer.from(text, 'utf8'), 'deepseek—chat');
    expect(Buffer.from(replaced!).toString('utf8')).toBe(replaceJsonModel(text, 'deepseek—chat'));
  });

  it('gives undefined without a top-level model string', () => {
    expect(replaceJsonModelBytes(Buffer.from('{"model":5,"é":1}'), 'm')).toBeUndefined();
  });
});
