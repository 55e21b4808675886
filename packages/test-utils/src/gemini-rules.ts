/**
 * The request rules the Gemini API enforces, written from the public docs, so the mock answers a
 * body real Gemini would reject with the same 400. Covers the Schema object subset of function
 * declarations, roles, parts, function-call pairing and `toolConfig`.
 * @see https://ai.google.dev/api/caching#Schema
 * @see https://ai.google.dev/api/caching#FunctionDeclaration
 * @module
 */

/** Every field of Gemini's Schema object (`default` is left out: older API versions reject it). */
const schemaFields = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'maxItems',
  'minItems',
  'properties',
  'required',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'example',
  'anyOf',
  'propertyOrdering',
  'items',
  'minimum',
  'maximum',
]);

const types = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);

const formatsByType: Record<string, string[]> = {
  string: ['enum', 'date-time'],
  number: ['float', 'double'],
  integer: ['int32', 'int64'],
};

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Problems with one Gemini Schema object (empty when Gemini would accept it). */
export function validateGeminiSchema(schema: unknown, path = 'parameters'): string[] {
  if (!isObject(schema)) return [`${path}: must be an object`];
  const problems: string[] = [];
  for (const key of Object.keys(schema)) {
    if (!schemaFields.has(key)) problems.push(`${path}: unknown name "${key}": Cannot find field.`);
  }
  const type = schema.type;
  if (type === undefined && !Array.isArray(schema.anyOf))
    problems.push(`${path}.type: must be specified`);
  if (type !== undefined && (typeof type !== 'string' || !types.has(type.toLowerCase()))) {
    problems.push(`${path}.type: invalid value ${JSON.stringify(type)}`);
  }
  const lowerType = typeof type === 'string' ? type.toLowerCase() : undefined;
  if (schema.format !== undefined) {
    const allowed = (lowerType && formatsByType[lowerType]) || [];
    if (!allowed.includes(String(schema.format))) {
      problems.push(
        `${path}.format: only ${allowed.join(', ') || 'no'} formats are supported for type ${lowerType}`,
      );
    }
  }
  if (schema.enum !== undefined) {
    if (lowerType !== 'string') problems.push(`${path}.enum: only allowed for STRING type`);
    if (!Array.isArray(schema.enum) || !schema.enum.every(value => typeof value === 'string')) {
      problems.push(`${path}.enum: values must be strings`);
    }
  }
  if (schema.nullable !== undefined && typeof schema.nullable !== 'boolean') {
    problems.push(`${path}.nullable: must be a boolean`);
  }
  for (const key of ['minimum', 'maximum', 'minItems', 'maxItems', 'minLength', 'maxLength']) {
    if (schema[key] !== undefined && typeof schema[key] !== 'number') {
      problems.push(`${path}.${key}: must be a number`);
    }
  }
  if (schema.properties !== undefined) {
    if (!isObject(schema.properties)) problems.push(`${path}.properties: must be an object`);
    else {
      if (lowerType !== 'object') problems.push(`${path}.properties: only allowed for OBJECT type`);
      for (const [name, child] of Object.entries(schema.properties)) {
        problems.push(...validateGeminiSchema(child, `${path}.properties[${name}]`));
      }
    }
  }
  if (schema.required !== undefined) {
    const names = isObject(schema.properties) ? Object.keys(schema.properties) : [];
    if (!Array.isArray(schema.required)) problems.push(`${path}.required: must be a list`);
    else {
      for (const name of schema.required) {
        if (!names.includes(String(name))) {
          problems.push(`${path}.required[${String(name)}]: property is not defined`);
        }
      }
    }
  }
  if (schema.items !== undefined) {
    if (lowerType !== 'array') problems.push(`${path}.items: only allowed for ARRAY type`);
    problems.push(...validateGeminiSchema(schema.items, `${path}.items`));
  }
  if (lowerType === 'array' && schema.items === undefined)
    problems.push(`${path}.items: missing field`);
  if (schema.anyOf !== undefined) {
    if (!Array.isArray(schema.anyOf) || schema.anyOf.length === 0) {
      problems.push(`${path}.anyOf: must be a non-empty list`);
    } else {
      schema.anyOf.forEach((child, index) => {
        problems.push(...validateGeminiSchema(child, `${path}.anyOf[${index}]`));
      });
    }
  }
  return problems;
}

function validateFunctionDeclaration(declaration: unknown, path: string): string[] {
  if (!isObject(declaration)) return [`${path}: must be an object`];
  const problems: string[] = [];
  for (const key of Object.keys(declaration)) {
    if (
      ![
        'name',
        'description',
        'parameters',
        'parametersJsonSchema',
        'response',
        'behavior',
      ].includes(key)
    ) {
      problems.push(`${path}: unknown name "${key}": Cannot find field.`);
    }
  }
  const name = declaration.name;
  if (typeof name !== 'string' || !/^[a-zA-Z_][a-zA-Z0-9_.:-]{0,127}$/.test(name)) {
    problems.push(`${path}.name: invalid function name ${JSON.stringify(name)}`);
  }
  if (declaration.parameters !== undefined) {
    const parameters = declaration.parameters;
    problems.push(...validateGeminiSchema(parameters, `${path}.parameters`));
    if (
      isObject(parameters) &&
      String(parameters.type).toLowerCase() === 'object' &&
      (!isObject(parameters.properties) || Object.keys(parameters.properties).length === 0)
    ) {
      problems.push(`${path}.parameters.properties: should be non-empty for OBJECT type`);
    }
  }
  return problems;
}

const partFields = [
  'text',
  'inlineData',
  'fileData',
  'functionCall',
  'functionResponse',
  'executableCode',
  'codeExecutionResult',
];

/**
 * Problems with a `generateContent` body (empty when Gemini would accept it): roles, parts with
 * exactly one data field, function responses answering calls of the previous model turn,
 * function declarations and `toolConfig` only next to function declarations.
 */
export function validateGeminiRequest(body: unknown): string[] {
  if (!isObject(body)) return ['request body must be a JSON object'];
  const problems: string[] = [];
  const contents = body.contents;
  if (!Array.isArray(contents) || contents.length === 0)
    problems.push('contents: must not be empty');
  let previousCalls: string[] = [];
  for (const [contentIndex, content] of (Array.isArray(contents) ? contents : []).entries()) {
    const path = `contents[${contentIndex}]`;
    if (!isObject(content)) {
      problems.push(`${path}: must be an object`);
      continue;
    }
    if (content.role !== 'user' && content.role !== 'model') {
      problems.push(`${path}.role: must be "user" or "model", got ${JSON.stringify(content.role)}`);
    }
    const parts = content.parts;
    if (!Array.isArray(parts) || parts.length === 0) {
      problems.push(`${path}.parts: must not be empty`);
      continue;
    }
    const calls: string[] = [];
    const responses: string[] = [];
    for (const [partIndex, part] of parts.entries()) {
      const partPath = `${path}.parts[${partIndex}]`;
      if (!isObject(part)) {
        problems.push(`${partPath}: must be an object`);
        continue;
      }
      const dataFields = partFields.filter(field => part[field] !== undefined);
      if (dataFields.length !== 1) {
        problems.push(
          `${partPath}: must have exactly one data field, got ${dataFields.join(', ') || 'none'}`,
        );
      }
      if (isObject(part.functionCall)) calls.push(String(part.functionCall.name));
      if (isObject(part.functionResponse)) {
        responses.push(String(part.functionResponse.name));
        if (!isObject(part.functionResponse.response)) {
          problems.push(`${partPath}.functionResponse.response: must be an object`);
        }
      }
      if (part.thoughtSignature !== undefined && typeof part.thoughtSignature !== 'string') {
        problems.push(`${partPath}.thoughtSignature: must be a string`);
      }
    }
    if (responses.length > 0) {
      if (content.role !== 'user')
        problems.push(`${path}: function responses must be in a user turn`);
      const expected = [...previousCalls].sort().join(',');
      if ([...responses].sort().join(',') !== expected) {
        problems.push(
          `${path}: Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn (calls: ${expected || 'none'}; responses: ${responses.join(',')}).`,
        );
      }
    }
    previousCalls = content.role === 'model' ? calls : [];
  }
  let declarationCount = 0;
  if (body.tools !== undefined && !Array.isArray(body.tools))
    problems.push('tools: must be a list');
  for (const [toolIndex, tool] of (Array.isArray(body.tools) ? body.tools : []).entries()) {
    if (!isObject(tool)) {
      problems.push(`tools[${toolIndex}]: must be an object`);
      continue;
    }
    const declarations = Array.isArray(tool.functionDeclarations) ? tool.functionDeclarations : [];
    declarationCount += declarations.length;
    for (const [index, declaration] of declarations.entries()) {
      problems.push(
        ...validateFunctionDeclaration(
          declaration,
          `tools[${toolIndex}].function_declarations[${index}]`,
        ),
      );
    }
  }
  if (body.toolConfig !== undefined && declarationCount === 0) {
    problems.push('tool_config: Function calling config is set without function_declarations.');
  }
  const mode =
    isObject(body.toolConfig) && isObject(body.toolConfig.functionCallingConfig)
      ? body.toolConfig.functionCallingConfig.mode
      : undefined;
  if (mode !== undefined && !['AUTO', 'ANY', 'NONE', 'VALIDATED'].includes(String(mode))) {
    problems.push(
      `tool_config.function_calling_config.mode: invalid value ${JSON.stringify(mode)}`,
    );
  }
  return problems;
}
