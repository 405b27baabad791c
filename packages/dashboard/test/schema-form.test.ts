// The tool tester's form logic (public/schema-form.js), imported as the page serves it: a tool's
// inputSchema → fields → the form's values → the call's arguments. Schemas come from servers, so
// hostile ones (deep, cyclic, wide, huge enums) must make a bounded form, not a crash.
import { describe, expect, it } from 'vitest';
import {
  MAX_DEPTH,
  MAX_ENUM,
  MAX_FIELDS,
  collect,
  fieldsOf,
  fitsForm,
  initialOf,
  valuesOf,
  type Field,
  type Schema,
} from '../public/schema-form.js';

/** The kinds of the fields, by path. */
function kinds(fields: Field[], prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fields) {
    const path = `${prefix}${f.name}`;
    out[path] = f.kind;
    if (f.kind === 'object') Object.assign(out, kinds(f.fields, `${path}.`));
    if (f.kind === 'array') Object.assign(out, kinds([f.item], `${path}[].`));
  }
  return out;
}

/** How deep the fields nest. */
function depthOf(fields: Field[]): number {
  return Math.max(
    0,
    ...fields.map((f) => 1 + (f.kind === 'object' ? depthOf(f.fields) : f.kind === 'array' ? depthOf([f.item]) : 0)),
  );
}

/** How many fields there are in all. */
function countOf(fields: Field[]): number {
  return fields.reduce(
    (n, f) => n + 1 + (f.kind === 'object' ? countOf(f.fields) : f.kind === 'array' ? countOf([f.item]) : 0),
    0,
  );
}

describe('fieldsOf', () => {
  it.each<[string, Schema | undefined, Record<string, string>]>([
    ['no schema', undefined, {}],
    ['no properties', { type: 'object' }, {}],
    [
      'primitives',
      {
        type: 'object',
        properties: { s: { type: 'string' }, n: { type: 'number' }, i: { type: 'integer' }, b: { type: 'boolean' } },
      },
      { s: 'string', n: 'number', i: 'integer', b: 'boolean' },
    ],
    ['an enum', { properties: { e: { enum: ['a', 'b'] } } }, { e: 'enum' }],
    ['nullable by type', { properties: { s: { type: ['string', 'null'] } } }, { s: 'string' }],
    ['nullable by anyOf', { properties: { s: { anyOf: [{ type: 'integer' }, { type: 'null' }] } } }, { s: 'integer' }],
    ['a real union', { properties: { u: { anyOf: [{ type: 'integer' }, { type: 'string' }] } } }, { u: 'json' }],
    [
      'nested object and array',
      { properties: { o: { type: 'object', properties: { a: { type: 'array', items: { type: 'string' } } } } } },
      { o: 'object', 'o.a': 'array', 'o.a[].item': 'string' },
    ],
    ['an array of JSON items is JSON', { properties: { a: { type: 'array', items: {} } } }, { a: 'json' }],
    ['tuple items are JSON', { properties: { a: { type: 'array', items: [{ type: 'string' }] } } }, { a: 'json' }],
    [
      'a $ref to $defs',
      {
        $defs: { pt: { type: 'object', properties: { x: { type: 'number' } } } },
        properties: { p: { $ref: '#/$defs/pt' } },
      },
      { p: 'object', 'p.x': 'number' },
    ],
    [
      'an escaped $ref',
      { definitions: { 'a/b': { type: 'boolean' } }, properties: { p: { $ref: '#/definitions/a~1b' } } },
      { p: 'boolean' },
    ],
    ['a $ref to nothing', { properties: { p: { $ref: '#/$defs/none' } } }, { p: 'json' }],
    [
      'a $ref into the prototype',
      { properties: { p: { $ref: '#/__proto__' }, q: { $ref: '#/constructor' } } },
      { p: 'json', q: 'json' },
    ],
    ['a remote $ref', { properties: { p: { $ref: 'https://example.com/s.json' } } }, { p: 'json' }],
    ['properties: null', { properties: { o: { type: 'object', properties: null as never } } }, { o: 'json' }],
  ])('%s', (_, schema, expected) => {
    expect(kinds(fieldsOf(schema))).toEqual(expected);
  });

  it('keeps required, description and default', () => {
    const [f] = fieldsOf({
      properties: { n: { type: 'integer', description: 'how many', default: 3 } },
      required: ['n'],
    });
    expect(f).toMatchObject({ name: 'n', kind: 'integer', required: true, description: 'how many', initial: 3 });
  });

  it('ends a $ref cycle at the depth bound', () => {
    const schema: Schema = {
      $defs: { node: { type: 'object', properties: { value: { type: 'string' }, child: { $ref: '#/$defs/node' } } } },
      properties: { root: { $ref: '#/$defs/node' } },
    };
    const fields = fieldsOf(schema);
    expect(depthOf(fields)).toBe(MAX_DEPTH);
    // The last level is one JSON field: what is below it can still be sent.
    let field = fields[0]!;
    while (field.kind === 'object') field = field.fields.find((f) => f.name === 'child')!;
    expect(field.kind).toBe('json');
  });

  it('bounds a deeply nested schema', () => {
    let schema: Schema = { type: 'string' };
    for (let i = 0; i < 5_000; i += 1) schema = { type: 'object', properties: { next: schema } };
    expect(depthOf(fieldsOf({ properties: { deep: schema } }))).toBe(MAX_DEPTH);
  });

  it('bounds the fields a reused $ref multiplies', () => {
    // Each level holds 20 of the level below: 20^8 fields unbounded.
    const $defs: Record<string, Schema> = { l8: { type: 'string' } };
    for (let level = 7; level >= 0; level -= 1)
      $defs[`l${level}`] = {
        type: 'object',
        properties: Object.fromEntries(
          Array.from({ length: 20 }, (_, i) => [`p${i}`, { $ref: `#/$defs/l${level + 1}` }]),
        ),
      };
    const fields = fieldsOf({ $defs, properties: { top: { $ref: '#/$defs/l0' } } });
    // Objects past the budget become JSON fields: what was open when it ran out adds at most a level of siblings.
    expect(countOf(fields)).toBeLessThan(MAX_FIELDS * 2);
  });

  it('makes a huge enum a plain field of its type', () => {
    const options = Array.from({ length: 100_000 }, (_, i) => `o${i}`);
    const [big, small] = fieldsOf({
      properties: { big: { type: 'string', enum: options }, small: { enum: options.slice(0, MAX_ENUM) } },
    });
    expect(big).toMatchObject({ kind: 'string' });
    expect(small).toMatchObject({ kind: 'enum' });
  });
});

describe('collect', () => {
  const fields = fieldsOf({
    properties: {
      s: { type: 'string' },
      n: { type: 'number' },
      i: { type: 'integer' },
      b: { type: 'boolean' },
      e: { enum: [1, 'two'] },
      j: {},
      z: { type: ['string', 'null'] },
      o: { type: 'object', properties: { x: { type: 'integer' } }, required: ['x'] },
      a: { type: 'array', items: { type: 'number' } },
    },
    required: ['s'],
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, Record<string, string>]>([
    [
      'every kind',
      { s: 'hi', n: '1.5', i: '2', b: true, e: '1', j: '{"k":[1]}', z: null, o: { x: '3' }, a: ['1', '2'] },
      { s: 'hi', n: 1.5, i: 2, b: true, e: 1, j: { k: [1] }, z: null, o: { x: 3 }, a: [1, 2] },
      {},
    ],
    ['empty: required ones said', {}, { b: false, o: {}, a: [] }, { s: 'required', 'o.x': 'required' }],
    [
      'not a number',
      { s: 'x', n: 'abc', o: { x: 1 } },
      { s: 'x', n: Number.NaN, b: false, o: { x: 1 }, a: [] },
      { n: 'not a number' },
    ],
    [
      'not an integer',
      { s: 'x', i: '1.5', o: { x: 1 } },
      { s: 'x', i: 1.5, b: false, o: { x: 1 }, a: [] },
      { i: 'not an integer' },
    ],
    [
      'not an option',
      { s: 'x', e: 'three', o: { x: 1 } },
      { s: 'x', e: 'three', b: false, o: { x: 1 }, a: [] },
      { e: 'not one of the options' },
    ],
    ['not JSON', { s: 'x', j: '{', o: { x: 1 } }, { s: 'x', b: false, o: { x: 1 }, a: [] }, { j: 'not JSON' }],
    [
      'an array item',
      { s: 'x', o: { x: 1 }, a: ['1', 'no'] },
      { s: 'x', b: false, o: { x: 1 }, a: [1, Number.NaN] },
      { 'a[1]': 'not a number' },
    ],
  ])('%s', (_, values, args, errors) => {
    const out = collect(fields, values);
    expect(out.args).toEqual(args);
    expect(out.errors).toEqual(errors);
  });
});

describe('valuesOf and fitsForm', () => {
  const fields = fieldsOf({
    properties: {
      s: { type: 'string', default: 'd' },
      o: { type: 'object', properties: { x: { type: 'integer' } } },
      a: { type: 'array', items: { type: 'string' } },
      j: {},
    },
  });

  it('starts from the defaults', () => {
    expect(valuesOf(fields)).toEqual({ s: 'd', o: { x: '' }, a: [], j: '' });
    expect(initialOf(fields[1]!)).toEqual({ x: '' });
  });

  it('puts a replayed call back in the form, and it comes out the same', () => {
    const args = { s: 'v', o: { x: 4 }, a: ['p', 'q'], j: { deep: [true] } };
    expect(valuesOf(fields, args)).toEqual({ s: 'v', o: { x: 4 }, a: ['p', 'q'], j: '{"deep":[true]}' });
    expect(collect(fields, valuesOf(fields, args)).args).toEqual(args);
    expect(fitsForm(fields, args)).toBe(true);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a key the schema lacks', { s: 'v', extra: 1 }],
    ['a value of the wrong type', { s: 'v', o: { x: 'not a number' } }],
  ])('says a replay with %s does not fit', (_, args) => {
    expect(fitsForm(fields, args)).toBe(false);
  });
});
