/**
 * JSON Schema (as tools declare it) → the OpenAPI 3.0 subset Gemini accepts in
 * `functionDeclarations[].parameters`. Gemini rejects any keyword outside its Schema object with
 * a 400, so the output is built from an allow-list rather than by deleting known offenders:
 * - `$ref` into `$defs`/`definitions` is inlined (recursion is cut at a depth limit);
 * - `type: [T, "null"]` and `anyOf: [S, {type: "null"}]` become `nullable: true`; other type
 *   lists become `anyOf`; `oneOf` is treated as `anyOf`; `allOf` is merged;
 * - `const` becomes a one-value `enum`; enums are string-only in Gemini, so other enums move
 *   into the description;
 * - `exclusiveMinimum`/`exclusiveMaximum` become `minimum`/`maximum` (+1/−1 for integers);
 * - `format` is kept only where Gemini supports it (`enum`, `date-time`; `int32`/`int64`;
 *   `float`/`double`); `additionalProperties`, `propertyNames`, `default`, `examples`,
 *   `$schema` and every other keyword are dropped.
 * @see https://ai.google.dev/api/caching#Schema
 * @module
 */
import type { GeminiSchema } from './gemini-api.js';

const supportedFormats: Record<string, readonly string[]> = {
  string: ['enum', 'date-time'],
  integer: ['int32', 'int64'],
  number: ['float', 'double'],
};

const maxReferenceDepth = 8;

type JSONSchema = Record<string, unknown>;

interface ConversionScope {
  definitions: Record<string, unknown>;
  depth: number;
}

function isSchema(value: unknown): value is JSONSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function resolveReference(reference: string, scope: ConversionScope): unknown {
  const match = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(reference);
  if (!match) return undefined;
  const name = decodeURIComponent(match[1]!.replace(/~1/g, '/').replace(/~0/g, '~'));
  return scope.definitions[name];
}

function appendDescription(schema: JSONSchema, note: string): void {
  schema.description =
    typeof schema.description === 'string' && schema.description.length > 0
      ? `${schema.description} (${note})`
      : note;
}

function mergeAllOf(schema: JSONSchema): JSONSchema {
  const parts = (schema.allOf as unknown[]).filter(isSchema);
  const merged: JSONSchema = { ...schema };
  delete merged.allOf;
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (key === 'properties' && isSchema(value)) {
        merged.properties = { ...(merged.properties as JSONSchema | undefined), ...value };
      } else if (key === 'required' && Array.isArray(value)) {
        merged.required = [...new Set([...((merged.required as string[]) ?? []), ...value])];
      } else if (merged[key] === undefined) {
        merged[key] = value;
      }
    }
  }
  return merged;
}

function isNullSchema(value: unknown): boolean {
  return isSchema(value) && value.type === 'null';
}

/** Converts one schema node; `undefined` means "any value" could not be expressed. */
function convertNode(input: unknown, scope: ConversionScope): GeminiSchema {
  if (!isSchema(input)) {
    // `true` / `{}`-like: any value. Gemini has no "any"; a string carries any JSON text.
    return { type: 'string' };
  }
  let schema = input;
  if (typeof schema.$ref === 'string') {
    const target =
      scope.depth < maxReferenceDepth ? resolveReference(schema.$ref, scope) : undefined;
    const { $ref: _reference, ...rest } = schema;
    if (!isSchema(target)) {
      return {
        type: 'object',
        ...(typeof rest.description === 'string' ? { description: rest.description } : {}),
      };
    }
    return convertNode({ ...target, ...rest }, { ...scope, depth: scope.depth + 1 });
  }
  if (Array.isArray(schema.allOf)) schema = mergeAllOf(schema);

  const result: GeminiSchema = {};
  if (typeof schema.title === 'string') result.title = schema.title;
  if (typeof schema.description === 'string') result.description = schema.description;

  const alternatives = (
    Array.isArray(schema.anyOf)
      ? schema.anyOf
      : Array.isArray(schema.oneOf)
        ? schema.oneOf
        : undefined
  ) as unknown[] | undefined;
  if (alternatives) {
    const nonNull = alternatives.filter(item => !isNullSchema(item));
    const nullable = nonNull.length < alternatives.length;
    const { anyOf: _anyOf, oneOf: _oneOf, ...rest } = schema;
    if (nonNull.length === 1) {
      const merged = convertNode({ ...rest, ...(nonNull[0] as JSONSchema) }, scope);
      if (typeof schema.description === 'string') merged.description = schema.description;
      return nullable ? { ...merged, nullable: true } : merged;
    }
    const converted = nonNull.map(item => convertNode(item, scope));
    const mergedEnum = mergeStringEnums(converted);
    if (mergedEnum) {
      return { ...result, ...mergedEnum, ...(nullable ? { nullable: true } : {}) };
    }
    result.anyOf = converted;
    if (nullable) result.nullable = true;
    return result;
  }

  let declaredType = schema.type;
  if (Array.isArray(declaredType)) {
    const types = declaredType.filter((item): item is string => typeof item === 'string');
    const nonNull = types.filter(item => item !== 'null');
    if (nonNull.length < types.length) result.nullable = true;
    if (nonNull.length > 1) {
      const { type: _type, ...rest } = schema;
      result.anyOf = nonNull.map(item =>
        convertNode({ ...rest, type: item, description: undefined }, scope),
      );
      return result;
    }
    declaredType = nonNull[0];
  }
  const type = typeof declaredType === 'string' ? declaredType : inferType(schema);
  if (type === 'null') return { ...result, type: 'string', nullable: true };
  result.type = type;

  applyEnum(schema, type, result);
  if (typeof schema.format === 'string') {
    if (supportedFormats[type]?.includes(schema.format)) result.format = schema.format;
    else appendDescription(result, `format: ${schema.format}`);
  }
  applyNumericBounds(schema, type, result);
  for (const key of [
    'minLength',
    'maxLength',
    'minItems',
    'maxItems',
    'minProperties',
    'maxProperties',
  ] as const) {
    if (typeof schema[key] === 'number') result[key] = schema[key];
  }
  if (typeof schema.pattern === 'string' && type === 'string') result.pattern = schema.pattern;

  if (type === 'object') applyObject(schema, scope, result);
  if (type === 'array') {
    const items = Array.isArray(schema.items) ? schema.items[0] : schema.items;
    result.items = items === undefined ? { type: 'string' } : convertNode(items, scope);
  }
  return result;
}

function inferType(schema: JSONSchema): string {
  if (isSchema(schema.properties) || schema.additionalProperties !== undefined) return 'object';
  if (schema.items !== undefined) return 'array';
  const values = Array.isArray(schema.enum)
    ? schema.enum
    : schema.const !== undefined
      ? [schema.const]
      : [];
  if (values.length > 0 && values.every(value => typeof value === 'number')) {
    return values.every(value => Number.isInteger(value)) ? 'integer' : 'number';
  }
  if (values.length > 0 && values.every(value => typeof value === 'boolean')) return 'boolean';
  return 'string';
}

function applyEnum(schema: JSONSchema, type: string, result: GeminiSchema): void {
  const values = Array.isArray(schema.enum)
    ? schema.enum
    : schema.const !== undefined
      ? [schema.const]
      : undefined;
  if (!values) return;
  if (type === 'string') {
    result.enum = values.filter(value => value !== null).map(value => String(value));
    return;
  }
  appendDescription(result, `one of: ${values.map(value => JSON.stringify(value)).join(', ')}`);
}

function applyNumericBounds(schema: JSONSchema, type: string, result: GeminiSchema): void {
  if (type !== 'number' && type !== 'integer') return;
  const step = type === 'integer' ? 1 : 0;
  let minimum = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  let maximum = typeof schema.maximum === 'number' ? schema.maximum : undefined;
  if (typeof schema.exclusiveMinimum === 'number') {
    minimum = Math.max(minimum ?? Number.NEGATIVE_INFINITY, schema.exclusiveMinimum + step);
  } else if (schema.exclusiveMinimum === true && minimum !== undefined) {
    minimum += step;
  }
  if (typeof schema.exclusiveMaximum === 'number') {
    maximum = Math.min(maximum ?? Number.POSITIVE_INFINITY, schema.exclusiveMaximum - step);
  } else if (schema.exclusiveMaximum === true && maximum !== undefined) {
    maximum -= step;
  }
  if (minimum !== undefined && Number.isFinite(minimum)) result.minimum = minimum;
  if (maximum !== undefined && Number.isFinite(maximum)) result.maximum = maximum;
}

function applyObject(schema: JSONSchema, scope: ConversionScope, result: GeminiSchema): void {
  if (!isSchema(schema.properties)) return;
  const properties: Record<string, GeminiSchema> = {};
  for (const [name, child] of Object.entries(schema.properties)) {
    properties[name] = convertNode(child, scope);
  }
  if (Object.keys(properties).length === 0) return;
  result.properties = properties;
  if (Array.isArray(schema.required)) {
    const required = schema.required.filter(
      (name): name is string => typeof name === 'string' && name in properties,
    );
    if (required.length > 0) result.required = required;
  }
}

/** `anyOf` of string enums (Claude Code's `enum` + `const` pattern) → one string enum. */
function mergeStringEnums(schemas: GeminiSchema[]): GeminiSchema | undefined {
  if (schemas.length === 0) return undefined;
  const values: string[] = [];
  for (const schema of schemas) {
    if (schema.type !== 'string' || !Array.isArray(schema.enum) || schema.anyOf) return undefined;
    values.push(...(schema.enum as string[]));
  }
  return { type: 'string', enum: [...new Set(values)] };
}

/**
 * A tool's `input_schema` → Gemini `parameters`; `undefined` when the tool takes no parameters
 * (Gemini rejects an OBJECT schema with no properties at the top level).
 */
export function convertToGeminiSchema(schema: unknown): GeminiSchema | undefined {
  if (!isSchema(schema)) return undefined;
  const definitions = {
    ...(isSchema(schema.definitions) ? schema.definitions : {}),
    ...(isSchema(schema.$defs) ? schema.$defs : {}),
  };
  const converted = convertNode(schema, { definitions, depth: 0 });
  if (converted.type === 'object' && converted.properties === undefined) return undefined;
  return converted;
}
