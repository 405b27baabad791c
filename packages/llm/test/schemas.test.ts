import { describe, expect, it } from 'vitest';
import { normalizeInputSchema, stripOptionalNulls, toGeminiSchema, toOpenAiStrict } from '../src/schemas.js';
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
