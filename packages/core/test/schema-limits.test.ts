import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEMA_LIMITS, inspectSchema } from '../src/schema-limits.js';
import { checkTools } from '../src/tool-list.js';

/** An object schema nesting `levels` objects through `properties.x` (2 JSON levels each), built without recursion. */
function nested(levels: number): Record<string, unknown> {
  let schema: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < levels; i += 1) schema = { type: 'object', properties: { x: schema } };
  return schema;
}

describe('inspectSchema', () => {
  it('measures a schema of any depth without recursion (100,000 levels), stopping at the limit', () => {
    expect(inspectSchema(nested(100_000)).over).toBe('nested deeper than 64 levels');
  });

  it('takes a schema within the limits, and counts every value against maxNodes', () => {
    expect(inspectSchema(nested(31)).over).toBeUndefined(); // 63 levels
    expect(inspectSchema(nested(32)).over).toBe('nested deeper than 64 levels');
    const wide = {
      type: 'object',
      properties: Object.fromEntries(Array.from({ length: 12_000 }, (_, i) => [`p${i}`, { type: 'string' }])),
    };
    expect(inspectSchema(wide).over).toBe(`more than ${DEFAULT_SCHEMA_LIMITS.maxNodes} values`);
    expect(inspectSchema(wide, { maxDepth: 64, maxNodes: 30_000 }).over).toBeUndefined();
  });

  it('collects patterns where they are keywords, not where they are data or property names', () => {
    const schema = {
      type: 'object',
      properties: {
        pattern: { type: 'string', pattern: '^a' },
        default: { type: 'string', pattern: '^b' },
        list: { type: 'array', items: { anyOf: [{ pattern: '^c' }] } },
      },
      patternProperties: { '^d': {} },
      default: { pattern: 'not a pattern' },
      examples: [{ pattern: 'nor this' }],
    };
    expect(inspectSchema(schema).patterns.sort()).toEqual(['^a', '^b', '^c', '^d']);
  });
});

describe('checkTools and the schema limits', () => {
  it('leaves out a tool past the limits (input or output schema), with the reason; the others stay', () => {
    const { tools, invalid } = checkTools([
      { name: 'ok', inputSchema: { type: 'object' } },
      { name: 'deep_in', inputSchema: nested(6_000) },
      { name: 'deep_out', inputSchema: { type: 'object' }, outputSchema: nested(6_000) },
    ]);
    expect(tools.map((t) => t.name)).toEqual(['ok']);
    expect(invalid).toEqual([
      { name: 'deep_in', reason: 'inputSchema is past the schema limits: nested deeper than 64 levels' },
      { name: 'deep_out', reason: 'outputSchema is past the schema limits: nested deeper than 64 levels' },
    ]);
  });

  it('reports each pattern RE2 cannot run once per tool; the tool stays listed', () => {
    const { tools, warnings } = checkTools([
      {
        name: 'look',
        inputSchema: {
          type: 'object',
          properties: { a: { type: 'string', pattern: '^(?!x)' }, b: { type: 'string', pattern: '^(?!x)' } },
        },
      },
      {
        name: 'fine',
        inputSchema: { type: 'object', properties: { a: { type: 'string', pattern: '^\\u00e9\\d+$' } } },
      },
    ]);
    expect(tools.map((t) => t.name)).toEqual(['look', 'fine']);
    expect(warnings).toEqual([
      { name: 'look', reason: expect.stringMatching(/^inputSchema pattern "\^\(\?!x\)" is not enforced: /) },
    ]);
  });
});
