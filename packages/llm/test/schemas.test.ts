import { describe, expect, it } from 'vitest';
import {
  SchemaTooLargeError,
  normalizeInputSchema,
  stripOptionalNulls,
  toGeminiSchema,
  toOpenAiStrict,
  type JsonSchema,
} from '../src/schemas.js';
import { geminiViolations, openAiStrictViolations } from './provider-rules.js';

describe('normalizeInputSchema', () => {
  it('an empty or missing schema is an empty object schema; catalog type names become JSON Schema', () => {
    expect(normalizeInputSchema(undefined)).toEqual({ type: 'object', properties: {} });
    expect(normalizeInputSchema({})).toEqual({ type: 'object', properties: {} });
    expect(
      normalizeInputSchema({
        type: 'dict',
        properties: { r: { type: 'float' }, t: { type: 'tuple', items: { type: 'any' } } },
      }),
    ).toEqual({
      type: 'object',
      properties: { r: { type: 'number' }, t: { type: 'array', items: {} } },
    });
  });
});

describe('toOpenAiStrict', () => {
  it('optional properties become nullable and required; objects closed; unsupported keywords dropped', () => {
    const input = {
      type: 'object',
      properties: {
        path: { type: 'string', minLength: 1 },
        depth: { type: 'integer', default: 1 },
        mode: { type: 'string', enum: ['a', 'b'] },
        opts: { type: 'object', properties: { deep: { type: 'boolean' } } },
      },
      required: ['path'],
      $schema: 'http://json-schema.org/draft-07/schema#',
    };
    const { schema, strict } = toOpenAiStrict(input);
    expect(strict).toBe(true);
    expect(openAiStrictViolations(schema)).toEqual([]);
    expect(schema).toEqual({
      type: 'object',
      properties: {
        path: { type: 'string' },
        depth: { type: ['integer', 'null'] },
        mode: { type: ['string', 'null'], enum: ['a', 'b', null] },
        opts: {
          type: ['object', 'null'],
          properties: { deep: { type: ['boolean', 'null'] } },
          required: ['deep'],
          additionalProperties: false,
        },
      },
      required: ['path', 'depth', 'mode', 'opts'],
      additionalProperties: false,
    });
  });

  it.each([
    [{ type: 'object', properties: { a: { allOf: [{ type: 'string' }] } } }, /"allOf"/],
    [{ type: 'object', properties: { a: { oneOf: [{ type: 'string' }, { type: 'number' }] } } }, /"oneOf"/],
    [{ type: 'object', properties: { a: { type: 'object', additionalProperties: { type: 'string' } } } }, /is a map/],
    [{ type: 'object', properties: { a: { type: 'object' } } }, /free-form object/],
    [{ type: 'object', properties: { a: { $ref: 'https://example.com/s.json' } } }, /external schema/],
    [{ type: 'object', properties: { a: { type: 'array' } } }, /array without "items"/],
    [{ type: 'object', patternProperties: { '^x': { type: 'string' } } }, /"patternProperties"/],
  ])('leaves a schema it cannot make strict as it is, saying why: %j', (input, reason) => {
    const out = toOpenAiStrict(input);
    expect(out.strict).toBe(false);
    expect(out.reason).toMatch(reason);
    expect(out.schema).toEqual(input);
  });
});

describe('stripOptionalNulls', () => {
  it('removes nulls for optional properties at any depth, keeps them where the schema allows null', () => {
    const original = {
      type: 'object',
      properties: {
        a: { type: 'string' },
        b: { type: ['string', 'null'] },
        c: { type: 'object', properties: { d: { type: 'number' } } },
      },
      required: ['a'],
    };
    expect(stripOptionalNulls({ a: 'x', b: null, c: { d: null } }, original)).toEqual({ a: 'x', b: null, c: {} });
  });
});

describe('toGeminiSchema', () => {
  it('keeps only what Gemini takes, rewriting const, exclusive bounds, nullable types and local $refs', () => {
    const { schema, dropped } = toGeminiSchema({
      $schema: 'x',
      type: 'object',
      additionalProperties: false,
      properties: {
        kind: { const: 'fixed' },
        n: { type: 'number', exclusiveMinimum: 0 },
        maybe: { type: ['string', 'null'], format: 'uri' },
        ref: { $ref: '#/$defs/Point' },
        tags: { type: 'array' },
        code: { enum: [1, 2] },
      },
      required: ['kind', 'missing'],
      $defs: { Point: { type: 'object', properties: { x: { type: 'number' } } } },
    });
    expect(geminiViolations(schema)).toEqual([]);
    expect(schema).toMatchObject({
      properties: {
        kind: { type: 'string', enum: ['fixed'] },
        n: { type: 'number', minimum: 0 },
        maybe: { type: 'string', nullable: true },
        ref: { type: 'object', properties: { x: { type: 'number' } } },
        tags: { type: 'array', items: { type: 'string' } },
        code: { description: 'One of: 1, 2.' },
      },
      required: ['kind'],
    });
    expect(dropped).toEqual(expect.arrayContaining(['$schema', 'additionalProperties', 'format', 'enum']));
  });

  it('survives a recursive $ref', () => {
    const { schema } = toGeminiSchema({
      type: 'object',
      properties: { node: { $ref: '#/$defs/Node' } },
      $defs: { Node: { type: 'object', properties: { next: { $ref: '#/$defs/Node' } } } },
    });
    expect(geminiViolations(schema)).toEqual([]);
  });
});

describe('hostile and generated schemas', () => {
  /** An object schema nesting `levels` objects, built without recursion. */
  const nested = (levels: number): JsonSchema => {
    let schema: JsonSchema = { type: 'string' };
    for (let i = 0; i < levels; i += 1) schema = { type: 'object', properties: { x: schema } };
    return schema;
  };

  it('a 6,000-deep schema is refused with a typed error by every conversion, never a stack overflow', () => {
    const deep = nested(6_000);
    for (const convert of [normalizeInputSchema, toOpenAiStrict, toGeminiSchema] as ((s: JsonSchema) => unknown)[]) {
      const err = (() => {
        try {
          convert(deep);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(SchemaTooLargeError);
      expect(err).toMatchObject({ code: 'SCHEMA_TOO_LARGE', reason: 'nested deeper than 64 levels' });
    }
    expect(normalizeInputSchema(nested(20)).type).toBe('object');
  });

  it('anyOf: [{ not: {} }, X] (zod: z.union([z.never(), X])) is X, at any depth; the tool can be strict', () => {
    const schema = normalizeInputSchema({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: {
        a: { anyOf: [{ not: {} }, { type: 'string' }] },
        b: {
          type: 'object',
          properties: { c: { description: 'kept', anyOf: [{ type: 'integer' }, { not: {} }] } },
          required: ['c'],
          additionalProperties: false,
        },
        d: { oneOf: [{ not: {} }, { type: 'number' }, { type: 'boolean' }] },
        e: { type: 'string', anyOf: [{ not: {} }, { type: 'string', minLength: 1 }] },
      },
      required: ['a', 'b'],
      additionalProperties: false,
    });
    expect(schema.properties).toEqual({
      a: { type: 'string' },
      b: {
        type: 'object',
        properties: { c: { description: 'kept', type: 'integer' } },
        required: ['c'],
        additionalProperties: false,
      },
      d: { oneOf: [{ type: 'number' }, { type: 'boolean' }] },
      // A keyword clash (`type` on both sides): the one member stays in anyOf.
      e: { type: 'string', anyOf: [{ type: 'string', minLength: 1 }] },
    });
    const { d: _d, ...withoutD } = schema.properties as Record<string, unknown>;
    const strict = toOpenAiStrict({ ...schema, properties: withoutD });
    expect(strict).toMatchObject({ strict: true });
    expect(openAiStrictViolations(strict.schema)).toEqual([]);
  });

  it('a schema that matches nothing stays as it is', () => {
    expect(normalizeInputSchema({ type: 'object', properties: { a: { anyOf: [{ not: {} }] } } }).properties).toEqual({
      a: { anyOf: [{ not: {} }] },
    });
  });

  it('OpenAI without strict mode gets no root $schema; nested ones stay (they are plain keywords there)', () => {
    const input = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { m: { type: 'object', additionalProperties: { type: 'string' } } },
    };
    const converted = toOpenAiStrict(input);
    expect(converted.strict).toBe(false);
    expect(converted.schema).not.toHaveProperty('$schema');
    expect(input).toHaveProperty('$schema'); // the input is left alone
  });

  it('toGeminiSchema inlines at most 200 $refs: definitions that double at each level do not explode', () => {
    const $defs: Record<string, JsonSchema> = { d30: { type: 'string' } };
    for (let i = 0; i < 30; i += 1)
      $defs[`d${i}`] = {
        type: 'object',
        properties: { l: { $ref: `#/$defs/d${i + 1}` }, r: { $ref: `#/$defs/d${i + 1}` } },
      };
    const { schema, dropped } = toGeminiSchema({ type: 'object', properties: { x: { $ref: '#/$defs/d0' } }, $defs });
    expect(JSON.stringify(schema).length).toBeLessThan(100_000); // 2^30 leaves otherwise
    expect(dropped).toContain('$ref');
  });
});
