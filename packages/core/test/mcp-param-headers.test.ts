import { describe, expect, it } from 'vitest';
import { buildParamHeaders, checkParamHeaders, encodeHeaderValue } from '../src/mcp-param-headers.js';

const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties,
  ...extra,
});
const str = (name: string) => ({ type: 'string', 'x-mcp-header': name });

describe('checkParamHeaders', () => {
  it('finds the spec example and nested declarations, with their paths', () => {
    const schema = obj({
      region: { type: 'string', description: 'The region', 'x-mcp-header': 'Region' },
      query: { type: 'string' },
      target: obj({
        tenant: { type: 'integer', 'x-mcp-header': 'Tenant-Id' },
        dry: { type: 'boolean', 'x-mcp-header': "dry_run.v1!#$%&'*+^`|~" },
      }),
    });
    expect(checkParamHeaders(schema)).toEqual({
      ok: true,
      declarations: [
        { path: ['region'], headerName: 'Region', type: 'string' },
        { path: ['target', 'tenant'], headerName: 'Tenant-Id', type: 'integer' },
        { path: ['target', 'dry'], headerName: "dry_run.v1!#$%&'*+^`|~", type: 'boolean' },
      ],
    });
    expect(checkParamHeaders(obj({ a: { type: 'string' } }))).toEqual({ ok: true, declarations: [] });
    expect(checkParamHeaders(undefined)).toEqual({ ok: true, declarations: [] });
  });

  it.each([
    ['an empty name', obj({ a: str('') }), 'a: x-mcp-header must be a non-empty string'],
    [
      'a name that is not a string',
      obj({ a: { type: 'string', 'x-mcp-header': 5 } }),
      'a: x-mcp-header must be a non-empty string',
    ],
    ['a space', obj({ a: str('My Header') }), 'a: x-mcp-header "My Header" is not an HTTP token'],
    ['CR LF', obj({ a: str('A\r\nX-Evil: 1') }), 'a: x-mcp-header "A\\r\\nX-Evil: 1" is not an HTTP token'],
    ['a delimiter', obj({ a: str('a:b') }), 'is not an HTTP token'],
    ['non-ASCII', obj({ a: str('Région') }), 'is not an HTTP token'],
    [
      'the same name twice ignoring case',
      obj({ a: str('Region'), b: str('REGION') }),
      'x-mcp-header "REGION" is not unique ignoring case (also declared as "Region")',
    ],
    [
      'an object property',
      obj({ a: { type: 'object', 'x-mcp-header': 'A' } }),
      'a: x-mcp-header is only permitted on string, integer or boolean properties; got object',
    ],
    ['a type list', obj({ a: { type: ['string', 'null'], 'x-mcp-header': 'A' } }), 'got <none>'],
    ['no type', obj({ a: { 'x-mcp-header': 'A' } }), 'got <none>'],
    ['a number property', obj({ a: { type: 'number', 'x-mcp-header': 'A' } }), 'got number'],
    [
      'the root',
      { type: 'object', 'x-mcp-header': 'A' },
      '<root>: x-mcp-header is only permitted on properties reached',
    ],
    ['items', obj({ a: { type: 'array', items: str('A') } }), 'a.<items>: x-mcp-header is only permitted'],
    ['anyOf', obj({}, { anyOf: [obj({ a: str('A') })] }), '<anyOf>.a: x-mcp-header is only permitted'],
    ['$defs', obj({}, { $defs: { d: str('A') } }), '<$defs>: x-mcp-header is only permitted'],
    ['additionalProperties', obj({}, { additionalProperties: str('A') }), '<additionalProperties>: x-mcp-header'],
    ['patternProperties', obj({}, { patternProperties: { '^x': str('A') } }), '<patternProperties>: x-mcp-header'],
    ['if/then', obj({}, { if: {}, then: obj({ a: str('A') }) }), '<then>.a: x-mcp-header'],
  ])('refuses %s', (_name, schema, reason) => {
    const check = checkParamHeaders(schema);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toContain(reason);
  });

  it('reports a number-typed declaration before any other fault, as the SDK does', () => {
    const check = checkParamHeaders(obj({ n: { type: 'number', 'x-mcp-header': 'N' }, bad: str('') }));
    expect(check).toEqual({
      ok: false,
      reason: 'n: x-mcp-header is only permitted on string, integer or boolean properties; got number',
    });
  });

  it('refuses a schema too deep or too large to check, without recursion', () => {
    const depth = 20_000;
    const deep = JSON.parse(
      `${'{"type":"object","properties":{"a":'.repeat(depth)}{"type":"string"}${'}}'.repeat(depth)}`,
    );
    expect(checkParamHeaders(deep)).toEqual({ ok: false, reason: 'inputSchema: nested deeper than 64 levels' });
    const wide = obj(Object.fromEntries(Array.from({ length: 20_500 }, (_, i) => [`p${i}`, { type: 'string' }])));
    expect(checkParamHeaders(wide)).toEqual({
      ok: false,
      reason: 'inputSchema: more than 20000 subschemas to check for x-mcp-header',
    });
    expect(checkParamHeaders(wide, { maxDepth: 64, maxNodes: 30_000 })).toEqual({ ok: true, declarations: [] });
  });

  it('cuts a hostile name in its reason', () => {
    const check = checkParamHeaders(obj({ a: str(`${'x'.repeat(100_000)} `) }));
    expect(check.ok || check.reason.length < 300).toBe(true);
  });
});

describe('encodeHeaderValue', () => {
  // The spec's encoding examples (basic/transports/streamable-http.mdx, Value Encoding).
  it.each([
    ['us-west1', 'us-west1'],
    ['Hello, 世界', '=?base64?SGVsbG8sIOS4lueVjA==?='],
    [' padded ', '=?base64?IHBhZGRlZCA=?='],
    ['line1\nline2', '=?base64?bGluZTEKbGluZTI=?='],
    ['=?base64?literal?=', '=?base64?PT9iYXNlNjQ/bGl0ZXJhbD89?='],
    ['a\tb', 'a\tb'],
    ['', '=?base64??='],
    ['\u0000', '=?base64?AA==?='],
  ])('%j → %s', (value, encoded) => {
    expect(encodeHeaderValue(value)).toBe(encoded);
  });

  it('always gives a value fetch accepts as a header', () => {
    for (const value of ['é', '\r\nX: 1', '\u2028', '\ud800', '\u007f', ' ', 'a '.repeat(100)])
      expect(() => new Headers({ 'Mcp-Param-X': encodeHeaderValue(value) })).not.toThrow();
  });
});

describe('buildParamHeaders', () => {
  const check = checkParamHeaders(
    obj({
      region: str('Region'),
      count: { type: 'integer', 'x-mcp-header': 'Count' },
      flag: { type: 'boolean', 'x-mcp-header': 'Flag' },
      nested: obj({ id: str('Nested-Id') }),
    }),
  );
  const declarations = check.ok ? check.declarations : [];

  it('writes strings as they are, integers in decimal, booleans lowercase, nested by path', () => {
    expect(
      buildParamHeaders(declarations, {
        region: 'Hello, 世界',
        count: -7,
        flag: false,
        nested: { id: 'x1' },
        other: 1,
      }),
    ).toEqual({
      'Mcp-Param-Region': '=?base64?SGVsbG8sIOS4lueVjA==?=',
      'Mcp-Param-Count': '-7',
      'Mcp-Param-Flag': 'false',
      'Mcp-Param-Nested-Id': 'x1',
    });
  });

  it('omits absent, null, non-primitive and unsafe-integer values', () => {
    expect(buildParamHeaders(declarations, { region: null, count: 2 ** 60, flag: { a: 1 }, nested: 'flat' })).toEqual(
      {},
    );
    expect(buildParamHeaders(declarations, undefined)).toEqual({});
    expect(buildParamHeaders(declarations, { count: Number.NaN, flag: [true] })).toEqual({});
  });

  it('reads only own properties on the path', () => {
    const proto = checkParamHeaders(
      JSON.parse(
        '{"type":"object","properties":{"__proto__":' +
          '{"type":"object","properties":{"polluted":{"type":"string","x-mcp-header":"P"}}}}}',
      ),
    );
    expect(proto.ok).toBe(true);
    if (!proto.ok) return;
    const inherited = Object.create({ polluted: 'yes' }) as Record<string, unknown>;
    expect(buildParamHeaders(proto.declarations, inherited)).toEqual({});
    expect(buildParamHeaders(proto.declarations, JSON.parse('{"__proto__":{"polluted":"own"}}'))).toEqual({
      'Mcp-Param-P': 'own',
    });
  });
});
