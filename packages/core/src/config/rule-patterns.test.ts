import { describe, expect, it } from '@jest/globals';
import { createConduitRouter } from '../router/conduit-router.js';
import { baseRequest, routerTestConfig } from '../router/test-router-setup.js';
import { validateConfig } from './parse-config.js';
import { compileRulePattern, findNestedQuantifier, maxRuleMatchTextLength } from './rule-fields.js';

describe('findNestedQuantifier', () => {
  it.each([
    ['(a+)+$', '(a+)+'],
    ['^(\\w*)*@', '(\\w*)*'],
    ['(?:x+y?)+z', '(?:x+y?)+'],
    ['((ab)*c)+', '((ab)*c)+'],
    ['(a{2,})*', '(a{2,})*'],
    ['(.*a){1,100}', '(.*a){1,100}'],
    ['(?<word>\\d+)+', '(?<word>\\d+)+'],
  ])('finds %s', (pattern, nested) => {
    expect(findNestedQuantifier(pattern)).toBe(nested);
  });

  it.each([
    '^claude-.*haiku',
    'plan mode',
    '(abc)+',
    '(a|b)*c',
    '[(+*)]+',
    '\\(a+\\)+',
    '(a+)?b',
    '(a+){2}',
    '(?=x+)y',
    'a{1,5}(b+)c*',
  ])('accepts %s', pattern => {
    expect(findNestedQuantifier(pattern)).toBeUndefined();
  });
});

describe('rule patterns at config time', () => {
  it('refuses a catastrophic pattern, naming the rule and the fix', () => {
    expect(() => compileRulePattern('/(a+)+$/i')).toThrow(/nested repetition/);
    const result = validateConfig({
      ...routerTestConfig,
      Router: {
        default: 'deepseek,deepseek-chat',
        customRules: [
          {
            name: 'slow',
            route: 'deepseek,deepseek-chat',
            conditions: [{ field: 'message', operator: 'matches', value: '(x+x+)+y' }],
          },
        ],
      },
    } as never);
    const issue = result.find(candidate => candidate.severity !== 'warning');
    expect(issue).toMatchObject({
      path: 'Router.customRules[0].conditions[0].value',
      message: expect.stringContaining('(x+x+)+'),
    });
  });
});

describe('the text a matches rule sees', () => {
  const router = createConduitRouter({
    ...routerTestConfig,
    Router: {
      default: 'deepseek,deepseek-chat',
      customRules: [
        {
          name: 'ends-with-marker',
          route: 'ollama,qwen2.5-coder:latest',
          conditions: [{ field: 'message', operator: 'matches', value: 'MARKER$' }],
        },
      ],
    },
  } as never);
  const routeText = (text: string) =>
    router.route({
      request: { ...baseRequest(), messages: [{ role: 'user', content: text }] },
      tokenCount: 10,
    });

  it('is the start of the message, up to the limit', async () => {
    expect((await routeText('short MARKER')).reason).toBe('rule:ends-with-marker');
    const long = `${'a'.repeat(maxRuleMatchTextLength)}MARKER`;
    expect((await routeText(long)).reason).not.toBe('rule:ends-with-marker');
  });
});
