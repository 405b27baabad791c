import { LlmError, LlmErrorCode } from './llm-errors.js';
import { DEFAULT_SCHEMA_LIMITS } from '@universal-mcp/core';
import { inspectSchema } from '@universal-mcp/core/internal';

/** A JSON Schema, as a tool's `inputSchema` holds it. */
export type JsonSchema = Record<string, unknown>;

/**
 * A schema past `DEFAULT_SCHEMA_LIMITS` (depth, size) given to a conversion: every conversion
 * walks schemas recursively, so it refuses them rather than overflow the stack. The client never
 * lists such a tool (it is left out with a `server:warning`).
 */
export class SchemaTooLargeError extends LlmError {
  override readonly name = 'SchemaTooLargeError';
  declare readonly code: typeof LlmErrorCode.SCHEMA_TOO_LARGE;
  constructor(readonly reason: string) {
    super(LlmErrorCode.SCHEMA_TOO_LARGE, `The schema is past the schema limits: ${reason}`);
  }
}

/** Throws {@link SchemaTooLargeError} for a schema a recursive walk could not take; the check itself is iterative. */
function assertWithinLimits(schema: unknown): void {
  const { over } = inspectSchema(schema, DEFAULT_SCHEMA_LIMITS);
  if (over !== undefined) throw new SchemaTooLargeError(over);
}

const isObject = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);

/** Types some catalogs write that JSON Schema spells otherwise (BFCL: `dict`, `float`, `tuple`, `any`). */
const TYPE_ALIASES: Readonly<Record<string, string | undefined>> = {
  dict: 'object',
  float: 'number',
  double: 'number',
  int: 'integer',
  tuple: 'array',
  list: 'array',
  bool: 'boolean',
  str: 'string',
  any: undefined,
};

/** Every subschema position of a schema, so that a pass can visit them all. */
const CHILD_MAPS = ['properties', '$defs', 'definitions'] as const;
const CHILD_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const;
const CHILD_ONE = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains'] as const;

/**
 * Applies `visit` to the schema and to every subschema in it, depth first, replacing each with what `visit` returns.
 */
function mapSchema(schema: JsonSchema, visit: (s: JsonSchema, path: string) => JsonSchema, path = ''): JsonSchema {
  const out: JsonSchema = { ...schema };
  for (const key of CHILD_MAPS) {
    const children = out[key];
    if (!isObject(children)) continue;
    out[key] = Object.fromEntries(
      Object.entries(children).map(([k, v]) => [k, isObject(v) ? mapSchema(v, visit, `${path}/${key}/${k}`) : v]),
    );
  }
  for (const key of CHILD_LISTS) {
    const list = out[key];
    if (Array.isArray(list))
      out[key] = list.map((v, i) => (isObject(v) ? mapSchema(v, visit, `${path}/${key}/${i}`) : v));
  }
  for (const key of CHILD_ONE) {
    const child = out[key];
    if (isObject(child)) out[key] = mapSchema(child, visit, `${path}/${key}`);
  }
  return visit(out, path);
}

/** `{ not: {} }`: the schema nothing matches (zod writes `z.never()` so). */
const isNever = (v: unknown): boolean =>
  isObject(v) && Object.keys(v).length === 1 && isObject(v.not) && Object.keys(v.not).length === 0;

/**
 * `anyOf`/`oneOf` without their `{ not: {} }` members, which match nothing (zod's
 * `z.union([z.never(), X])` is `anyOf: [{ not: {} }, X]`): one member left is the schema itself,
 * merged in where no keyword clashes. Keeps strict mode and Gemini, which refuse `not`, usable.
 */
function withoutNever(s: JsonSchema): JsonSchema {
  let out = s;
  for (const key of ['anyOf', 'oneOf'] as const) {
    const list = out[key];
    if (!Array.isArray(list) || !list.some(isNever) || list.every(isNever)) continue;
    const { [key]: _drop, ...rest } = out;
    const kept = list.filter((v) => !isNever(v));
    const only = kept.length === 1 && isObject(kept[0]) ? kept[0] : undefined;
    out =
      only !== undefined && !Object.keys(only).some((k) => k in rest) ? { ...rest, ...only } : { ...rest, [key]: kept };
  }
  return out;
}

/**
 * A tool's `inputSchema` made usable: missing or empty → `{ type: 'object', properties: {} }`; a
 * root without a type but with properties → an object; catalog-specific type names (`dict`,
 * `float`…) → JSON Schema's; `anyOf: [{ not: {} }, X]` → X. The original stays what arguments are
 * validated against. A schema past `DEFAULT_SCHEMA_LIMITS` throws {@link SchemaTooLargeError}.
 */
export function normalizeInputSchema(input: unknown): JsonSchema {
  if (!isObject(input) || Object.keys(input).length === 0) return { type: 'object', properties: {} };
  assertWithinLimits(input);
  const fixed = mapSchema(clone(input), (visited) => {
    const s = withoutNever(visited);
    const type = s.type;
    if (typeof type === 'string' && Object.hasOwn(TYPE_ALIASES, type)) {
      const alias = TYPE_ALIASES[type];
      if (alias === undefined) {
        const { type: _drop, ...rest } = s;
        return rest;
      }
      return { ...s, type: alias };
    }
    return s;
  });
  if (fixed.type === undefined) fixed.type = 'object';
  if (fixed.type === 'object' && fixed.properties === undefined) fixed.properties = {};
  return fixed;
}

/** What {@link toOpenAiStrict} made of a schema. */
export interface StrictConversion {
  /** The schema for the request. */
  readonly schema: JsonSchema;
  /** True when it satisfies strict mode's rules. */
  readonly strict: boolean;
  /** Why not, when not. */
  readonly reason?: string | undefined;
}

/** Keywords strict mode rejects and that cannot be rewritten: a schema with one is sent non-strict. */
const STRICT_IMPOSSIBLE = [
  'allOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'patternProperties',
  'dependentRequired',
  'dependentSchemas',
  'unevaluatedProperties',
  'unevaluatedItems',
  'propertyNames',
  'prefixItems',
  'contains',
  '$dynamicRef',
];
/** Validation-only keywords strict mode does not take: dropped (the server's own schema still checks the arguments). */
const STRICT_DROPPED = [
  'default',
  'optional',
  'examples',
  '$schema',
  '$id',
  '$comment',
  'minLength',
  'maxLength',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'contentEncoding',
  'contentMediaType',
  'readOnly',
  'writeOnly',
  'deprecated',
  'minContains',
  'maxContains',
];

/** `schema` that also takes `null`. */
function nullable(schema: JsonSchema): JsonSchema {
  const type = schema.type;
  if (typeof type === 'string') {
    const out: JsonSchema = { ...schema, type: type === 'null' ? 'null' : [type, 'null'] };
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) out.enum = [...(schema.enum as unknown[]), null];
    return out;
  }
  if (Array.isArray(type)) return type.includes('null') ? schema : { ...schema, type: [...(type as string[]), 'null'] };
  if (Array.isArray(schema.anyOf)) return { ...schema, anyOf: [...(schema.anyOf as unknown[]), { type: 'null' }] };
  return { anyOf: [schema, { type: 'null' }] };
}

/**
 * The schema as OpenAI's strict mode (the Responses API's default) wants it: every object with
 * `additionalProperties: false` and every property required — an optional property becomes
 * nullable, and {@link stripOptionalNulls} turns its `null` back into absent before the call.
 * Validation-only keywords strict mode does not take are dropped. Where a schema cannot be made
 * strict (`allOf`, `oneOf`, `not`, conditionals, `patternProperties`, a free-form map, an external
 * `$ref`, an array without `items`), it is left as it is, `strict: false`, with the reason.
 */
export function toOpenAiStrict(input: JsonSchema): StrictConversion {
  assertWithinLimits(input);
  let reason: string | undefined;
  const refuse = (why: string): JsonSchema => {
    reason ??= why;
    return {};
  };
  const schema = mapSchema(clone(input), (s, path) => {
    const at = path === '' ? 'the root' : path;
    for (const key of STRICT_IMPOSSIBLE) if (key in s) return refuse(`${at} uses "${key}"`);
    if (typeof s.$ref === 'string' && !s.$ref.startsWith('#'))
      return refuse(`${at} refers to an external schema (${s.$ref})`);
    const out: JsonSchema = {};
    for (const [k, v] of Object.entries(s)) if (!STRICT_DROPPED.includes(k)) out[k] = v;
    const isObjectType =
      out.type === 'object' || (Array.isArray(out.type) && out.type.includes('object')) || isObject(out.properties);
    if (isObjectType) {
      const props = isObject(out.properties) ? out.properties : {};
      const extra = out.additionalProperties;
      if (extra !== undefined && extra !== false) return refuse(`${at} is a map (additionalProperties)`);
      if (Object.keys(props).length === 0 && extra === undefined && path !== '')
        return refuse(`${at} is a free-form object`);
      const required = new Set(Array.isArray(out.required) ? (out.required as string[]) : []);
      out.properties = Object.fromEntries(
        Object.entries(props).map(([k, v]) => [k, required.has(k) || !isObject(v) ? v : nullable(v)]),
      );
      out.required = Object.keys(props);
      out.additionalProperties = false;
    }
    const isArrayType = out.type === 'array' || (Array.isArray(out.type) && out.type.includes('array'));
    if (isArrayType && !isObject(out.items)) return refuse(`${at} is an array without "items"`);
    return out;
  });
  if (reason !== undefined) return { schema: toOpenAiLoose(clone(input)), strict: false, reason };
  if (schema.type !== 'object')
    return { schema: toOpenAiLoose(clone(input)), strict: false, reason: 'the root is not an object' };
  return { schema, strict: true };
}

/**
 * The schema as OpenAI takes it without strict mode: as it is, but for the root `$schema`, which
 * OpenAI's function parameters do not take (strict mode drops it everywhere). A shallow copy: the
 * subschemas are shared with `input`.
 */
export function toOpenAiLoose(input: JsonSchema): JsonSchema {
  const { $schema: _drop, ...rest } = input;
  return rest;
}

/**
 * Removes the `null`s a model sent for properties the original schema leaves optional (strict
 * mode made them nullable), at every depth, so the server sees them absent as it expects.
 */
export function stripOptionalNulls(args: unknown, original: JsonSchema): unknown {
  if (!isObject(args)) return args;
  const props = isObject(original.properties) ? original.properties : {};
  const required = new Set(Array.isArray(original.required) ? (original.required as string[]) : []);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    const sub = props[key];
    const allowsNull =
      isObject(sub) &&
      (sub.type === 'null' || (Array.isArray(sub.type) && sub.type.includes('null')) || sub.nullable === true);
    if (value === null && !required.has(key) && !allowsNull) continue;
    if (isObject(sub) && isObject(value)) out[key] = stripOptionalNulls(value, sub);
    else if (isObject(sub) && Array.isArray(value) && isObject(sub.items))
      out[key] = value.map((v) => stripOptionalNulls(v, sub.items as JsonSchema));
    else out[key] = value;
  }
  return out;
}

/** The keywords Gemini's `parameters` (an OpenAPI 3.0 subset) takes. */
const GEMINI_KEYS = new Set([
  'type',
  'format',
  'description',
  'nullable',
  'enum',
  'properties',
  'required',
  'items',
  'minItems',
  'maxItems',
  'minimum',
  'maximum',
  'anyOf',
  'title',
  'minLength',
  'maxLength',
  'pattern',
  'propertyOrdering',
]);
const GEMINI_FORMATS: Readonly<Record<string, readonly string[]>> = {
  string: ['enum', 'date-time'],
  integer: ['int32', 'int64'],
  number: ['float', 'double'],
};

/** The most `$ref`s {@link toGeminiSchema} inlines in one schema; the rest become plain objects. */
const MAX_INLINED_REFS = 200;

/** What {@link toGeminiSchema} made of a schema. */
export interface GeminiConversion {
  readonly schema: JsonSchema;
  /** Keywords left out (Gemini's `parameters` rejects them), e.g. `additionalProperties`, `$schema`. */
  readonly dropped: readonly string[];
}

/**
 * The schema as Gemini's `parameters` take it (an OpenAPI 3.0 subset): only the keywords it
 * knows; `const` as a one-value `enum`; `exclusiveMinimum`/`exclusiveMaximum` as bounds; a type
 * list with `null` as `nullable`; local `$ref`s inlined (a cycle, or a ref past the first 200,
 * becomes a plain object); enums of strings only (others are described instead).
 */
export function toGeminiSchema(input: JsonSchema): GeminiConversion {
  assertWithinLimits(input);
  const dropped = new Set<string>();
  const defs = {
    ...(isObject(input.$defs) ? input.$defs : {}),
    ...(isObject(input.definitions) ? input.definitions : {}),
  };
  // Definitions that each refer to the next twice double the output per level: the inlining is budgeted.
  let inlined = 0;
  const convert = (s: JsonSchema, seen: readonly string[]): JsonSchema => {
    if (typeof s.$ref === 'string') {
      const name = s.$ref.replace(/^#\/(\$defs|definitions)\//, '');
      const target = defs[name];
      inlined += 1;
      if (!isObject(target) || seen.includes(name) || inlined > MAX_INLINED_REFS) {
        dropped.add('$ref');
        return { type: 'object', description: typeof s.description === 'string' ? s.description : `(${name})` };
      }
      return convert({ ...target, ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== '$ref')) }, [
        ...seen,
        name,
      ]);
    }
    const out: JsonSchema = {};
    let type = s.type;
    if (Array.isArray(type)) {
      const real = (type as string[]).filter((t) => t !== 'null');
      if (real.length < type.length) out.nullable = true;
      if (real.length === 1) type = real[0];
      else {
        out.anyOf = real.map((t) => ({ type: t }));
        type = undefined;
      }
    }
    if (typeof type === 'string' && type !== 'null') out.type = type;
    if ('const' in s) {
      out.enum = [String(s.const)];
      if (out.type === undefined) out.type = 'string';
    }
    if (typeof s.exclusiveMinimum === 'number') out.minimum = s.exclusiveMinimum;
    if (typeof s.exclusiveMaximum === 'number') out.maximum = s.exclusiveMaximum;
    for (const [key, value] of Object.entries(s)) {
      if (
        key === 'type' ||
        key === 'const' ||
        key === 'exclusiveMinimum' ||
        key === 'exclusiveMaximum' ||
        key === '$defs' ||
        key === 'definitions'
      )
        continue;
      if (!GEMINI_KEYS.has(key)) {
        dropped.add(key);
        continue;
      }
      if (key === 'properties' && isObject(value)) {
        out.properties = Object.fromEntries(
          Object.entries(value).map(([k, v]) => [k, isObject(v) ? convert(v, seen) : { type: 'string' }]),
        );
      } else if (key === 'items' && isObject(value)) {
        out.items = convert(value, seen);
      } else if (key === 'anyOf' && Array.isArray(value)) {
        out.anyOf = value.filter(isObject).map((v) => convert(v, seen));
      } else if (key === 'enum' && Array.isArray(value)) {
        const strings = value.filter((v): v is string => typeof v === 'string');
        if (strings.length === value.length) out.enum = strings;
        else {
          dropped.add('enum');
          const before = typeof s.description === 'string' ? `${s.description} ` : '';
          out.description = `${before}One of: ${value.map((v) => JSON.stringify(v)).join(', ')}.`;
        }
      } else if (key === 'format' && typeof value === 'string') {
        if ((GEMINI_FORMATS[String(out.type)] ?? []).includes(value)) out.format = value;
        else dropped.add('format');
      } else if (key === 'required' && Array.isArray(value)) {
        const props = isObject(s.properties) ? s.properties : {};
        out.required = value.filter((k): k is string => typeof k === 'string' && k in props);
      } else {
        out[key] = value;
      }
    }
    if (out.type === 'array' && out.items === undefined) out.items = { type: 'string' };
    return out;
  };
  const schema = convert(input, []);
  if (schema.type !== 'object') schema.type = 'object';
  return { schema, dropped: [...dropped].sort() };
}
