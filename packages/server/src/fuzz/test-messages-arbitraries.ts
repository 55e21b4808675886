import fc from 'fast-check';

/**
 * fast-check arbitraries for `POST /v1/messages` bodies (test helper, not published): every field
 * of the Messages schema, each usually well-formed and sometimes replaced by a value of the wrong
 * kind, plus byte-level mutations of serialized bodies. Well-formed values dominate so most cases
 * get past validation into routing, token counting and each adapter's translation.
 */

const shortText = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 24, unit: 'binary' }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u0000',
      '<CCR-SUBAGENT-MODEL>x,y</CCR-SUBAGENT-MODEL>',
      '__proto__',
      'constructor',
    ),
  },
);

/** A value of any kind: what a confused or hostile client puts where something else belongs. */
const wrongKind: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  shortText,
  fc.constant([]),
  fc.constant({}),
  fc.constant([null]),
  fc.anything({ maxDepth: 3, maxKeys: 4 }),
);

/**
 * A `/v1/messages` body as a value with every schema field; `withWrongKinds` puts values of the wrong
 * kind into some fields (and out-of-range numbers), else every field is well-formed.
 */
function createMessagesBody(withWrongKinds: boolean): fc.Arbitrary<Record<string, unknown>> {
  /** Usually `arbitrary`, sometimes (when `withWrongKinds`) a value of the wrong kind. */
  function mostly<T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> {
    if (!withWrongKinds) return arbitrary;
    return fc.oneof({ weight: 8, arbitrary }, { weight: 1, arbitrary: wrongKind });
  }

  /** A record whose keys are all optional, each value {@link mostly} well-formed. */
  function looseRecord(shape: Record<string, fc.Arbitrary<unknown>>, requiredKeys: string[] = []) {
    const fields: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [key, arbitrary] of Object.entries(shape)) fields[key] = mostly(arbitrary);
    return fc.record(fields, { requiredKeys: withWrongKinds ? [] : requiredKeys });
  }

  const cacheControl = looseRecord(
    {
      type: fc.constant('ephemeral'),
      ttl: fc.constantFrom('5m', '1h'),
    },
    ['type'],
  );

  const textBlock = fc.record(
    { type: fc.constant('text'), text: mostly(shortText), cache_control: cacheControl },
    { requiredKeys: ['type', 'text'] },
  );

  const imageBlock = fc.record({
    type: fc.constant('image'),
    source: mostly(
      fc.oneof(
        looseRecord(
          {
            type: fc.constant('base64'),
            media_type: fc.constantFrom('image/png', 'image/jpeg', 'text/plain'),
            data: fc.base64String({ maxLength: 16 }),
          },
          ['type'],
        ),
        looseRecord({ type: fc.constant('url'), url: fc.webUrl() }, ['type']),
        looseRecord({ type: shortText }, ['type']),
      ),
    ),
  });

  /** JSON Schema-like values, the way tool `input_schema`s nest them. */
  const jsonSchema: fc.Arbitrary<unknown> = fc.letrec<{ schema: unknown }>(tie => ({
    schema: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      looseRecord({
        type: fc.constantFrom('string', 'number', 'integer', 'boolean', 'null', 'bogus'),
        description: shortText,
        enum: fc.array(fc.oneof(shortText, fc.integer(), fc.constant(null)), { maxLength: 3 }),
        format: fc.constantFrom('uri', 'date-time', 'email', 'weird'),
      }),
      looseRecord({
        type: fc.constantFrom('object', ['object', 'null']),
        properties: fc.dictionary(shortText, tie('schema'), { maxKeys: 3 }),
        required: fc.array(shortText, { maxLength: 3 }),
        additionalProperties: fc.oneof(fc.boolean(), tie('schema')),
        $schema: fc.constant('http://json-schema.org/draft-07/schema#'),
      }),
      looseRecord({ type: fc.constant('array'), items: tie('schema') }),
      looseRecord({ anyOf: fc.array(tie('schema'), { maxLength: 3 }) }),
      looseRecord({ oneOf: fc.array(tie('schema'), { maxLength: 3 }) }),
      looseRecord({ $ref: fc.constantFrom('#/definitions/x', '#', 'http://x') }),
    ),
  })).schema;

  const toolUseBlock = fc.record(
    {
      type: fc.constant('tool_use'),
      id: mostly(shortText),
      name: mostly(shortText),
      input: fc.oneof(
        fc.dictionary(shortText, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3 }),
        wrongKind,
      ),
      cache_control: cacheControl,
    },
    { requiredKeys: ['type', 'id', 'name'] },
  );

  const toolResultBlock = fc.record(
    {
      type: fc.constant('tool_result'),
      tool_use_id: mostly(shortText),
      content: mostly(
        fc.oneof(shortText, fc.array(fc.oneof(textBlock, imageBlock), { maxLength: 3 })),
      ),
      is_error: mostly(fc.boolean()),
      cache_control: cacheControl,
    },
    { requiredKeys: ['type', 'tool_use_id'] },
  );

  const thinkingBlock = fc.record(
    { type: fc.constant('thinking'), thinking: mostly(shortText), signature: mostly(shortText) },
    { requiredKeys: ['type', 'thinking'] },
  );

  const otherBlock = fc.oneof(
    fc.record({ type: fc.constant('redacted_thinking'), data: mostly(shortText) }),
    fc.record({
      type: fc.constant('document'),
      source: looseRecord({ type: fc.constantFrom('text', 'base64'), data: shortText }, ['type']),
    }),
    fc.record(
      { type: shortText, extra: fc.jsonValue({ maxDepth: 2 }) },
      { requiredKeys: ['type'] },
    ),
  );

  const contentBlock = mostly(
    fc.oneof(
      { weight: 4, arbitrary: textBlock },
      imageBlock,
      { weight: 2, arbitrary: toolUseBlock },
      { weight: 2, arbitrary: toolResultBlock },
      thinkingBlock,
      otherBlock,
    ),
  );

  const message = fc.record(
    {
      role: mostly(fc.constantFrom('user', 'assistant', 'system')),
      content: mostly(fc.oneof(shortText, fc.array(contentBlock, { maxLength: 4 }))),
    },
    { requiredKeys: ['role', 'content'] },
  );

  const tool = fc.record(
    {
      name: mostly(shortText),
      description: mostly(shortText),
      input_schema: mostly(jsonSchema),
      type: mostly(fc.constantFrom('custom', 'web_search_20250305', 'bash_20250124')),
      cache_control: cacheControl,
    },
    { requiredKeys: ['name'] },
  );

  return fc.record(
    {
      model: mostly(fc.oneof(fc.constant('claude-fuzz'), shortText)),
      max_tokens: mostly(
        fc.oneof(
          fc.integer({ min: 1, max: 64_000 }),
          withWrongKinds ? fc.integer() : fc.constant(1),
        ),
      ),
      messages: mostly(fc.array(message, { minLength: 1, maxLength: 5 })),
      system: mostly(fc.oneof(shortText, fc.array(textBlock, { maxLength: 3 }))),
      tools: mostly(fc.array(tool, { maxLength: 3 })),
      tool_choice: looseRecord(
        {
          type: withWrongKinds
            ? fc.constantFrom('auto', 'any', 'tool', 'none', 'other')
            : fc.constantFrom('auto', 'any', 'tool', 'none'),
          name: shortText,
          disable_parallel_tool_use: fc.boolean(),
        },
        ['type'],
      ),
      thinking: looseRecord(
        {
          type: fc.constantFrom('enabled', 'disabled', 'adaptive'),
          budget_tokens: fc.integer({ min: withWrongKinds ? -1 : 1024, max: 40_000 }),
        },
        ['type'],
      ),
      metadata: looseRecord({ user_id: shortText }),
      stop_sequences: mostly(fc.array(shortText, { maxLength: 3 })),
      stream: mostly(fc.boolean()),
      temperature: mostly(
        fc.double({ min: withWrongKinds ? -1 : 0, max: withWrongKinds ? 3 : 1, noNaN: true }),
      ),
      top_p: mostly(fc.double({ min: 0, max: 1, noNaN: true })),
      top_k: mostly(fc.integer({ min: withWrongKinds ? -1 : 1, max: 500 })),
      context_management: fc.jsonValue({ maxDepth: 2 }),
      output_config: looseRecord({
        effort: fc.constantFrom('low', 'high'),
        format: fc.jsonValue({ maxDepth: 2 }),
      }),
    },
    { requiredKeys: ['model', 'max_tokens', 'messages'] },
  );
}

/** Bodies as values: well-formed ones (they reach the adapters) and ones with wrong-kind fields. */
export const messagesBody: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 2, arbitrary: createMessagesBody(false) },
  { weight: 1, arbitrary: createMessagesBody(true) },
);

interface Edit {
  kind: 'delete' | 'insert' | 'replace' | 'repeat';
  /** Where, as a fraction of the text length. */
  at: number;
  length: number;
  text: string;
}

/** One edit of a serialized body: delete, insert, replace or repeat a slice. */
const edit: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom(
    'delete' as const,
    'insert' as const,
    'replace' as const,
    'repeat' as const,
  ),
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.integer({ min: 1, max: 12 }),
  text: fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      '"',
      ',',
      ':',
      'null',
      '"model":"x",',
      '\\',
      '\\u0000',
      '1e999',
      '-0',
    ),
  ),
});

function applyEdit(text: string, change: Edit): string {
  const at = Math.floor(change.at * text.length);
  const slice = text.slice(at, at + change.length);
  switch (change.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + change.length);
    case 'insert':
      return text.slice(0, at) + change.text + text.slice(at);
    case 'replace':
      return text.slice(0, at) + change.text + text.slice(at + change.length);
    default:
      return text.slice(0, at) + slice + slice + text.slice(at);
  }
}

/** A tool `input_schema` or metadata value nested `levels` deep, built as text (never as a value). */
const deeplyNestedBody = fc
  .tuple(fc.integer({ min: 100, max: 20_000 }), fc.boolean())
  .map(([levels, inSchema]) =>
    inSchema
      ? `{"model":"claude-fuzz","max_tokens":8,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"deep","input_schema":${'{"type":"object","properties":{"a":'.repeat(levels)}{"type":"string"}${'}}'.repeat(levels)}}]}`
      : `{"model":"claude-fuzz","max_tokens":8,"messages":[{"role":"user","content":[{"type":"tool_use","id":"t","name":"f","input":${'['.repeat(levels)}${']'.repeat(levels)}}]}]}`,
  );

/** Top-level keys given twice (the last one is what `JSON.parse` keeps). */
const duplicateKeyBody = fc
  .tuple(messagesBody, fc.constantFrom('model', 'max_tokens', 'stream', 'messages'))
  .map(([body, key]) => {
    const text = JSON.stringify(body);
    return `{${JSON.stringify(key)}:${JSON.stringify(body[key] ?? null)},${text.slice(1)}`;
  });

/**
 * Serialized bodies: well-formed JSON of {@link messagesBody}, that text with 1-3 edits, any JSON,
 * deeply nested bodies and bodies with a duplicate top-level key.
 */
export const messagesBodyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: messagesBody.map(body => JSON.stringify(body)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(messagesBody, fc.array(edit, { minLength: 1, maxLength: 3 }))
      .map(([body, edits]) => edits.reduce(applyEdit, JSON.stringify(body))),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map(value => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.oneof(deeplyNestedBody, duplicateKeyBody) },
);
