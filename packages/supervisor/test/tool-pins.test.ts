import { describe, expect, it } from 'vitest';
import type { Tool } from '@universal-mcp/core';
import { canonicalJson, definitionOf, describeChange, fingerprint } from '../src/tool-pins.js';

const tool = (extra: Partial<Tool> = {}): Tool =>
  ({
    name: 't',
    description: 'd',
    inputSchema: { type: 'object', properties: { a: { type: 'string' } } },
    ...extra,
  }) as Tool;

describe('fingerprints', () => {
  it('do not depend on key order, and cover description, schemas and annotations', () => {
    const a = fingerprint(definitionOf(tool()));
    const reordered = {
      inputSchema: { properties: { a: { type: 'string' } }, type: 'object' },
      description: 'd',
      name: 't',
    };
    expect(fingerprint(definitionOf(reordered as Tool))).toBe(a);
    expect(fingerprint(definitionOf(tool({ description: 'e' })))).not.toBe(a);
    expect(fingerprint(definitionOf(tool({ annotations: { readOnlyHint: true } })))).not.toBe(a);
    expect(fingerprint(definitionOf(tool({ outputSchema: { type: 'object' } })))).not.toBe(a);
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: undefined }] })).toBe('{"a":[2,{"d":3}],"b":1}');
  });
});

describe('describeChange', () => {
  it('one readable line per change', () => {
    const before = definitionOf(tool());
    const after = definitionOf(
      tool({
        description: 'e',
        inputSchema: { type: 'object', properties: { a: { type: 'number' }, x: { type: 'string' } }, required: ['x'] },
        annotations: { destructiveHint: true },
      }),
    );
    expect(describeChange(before, after).split('\n')).toEqual([
      'description: "d" → "e"',
      'inputSchema: +properties.x, +required',
      'inputSchema.properties.a.type: "string" → "number"',
      'annotations: (none) → {"destructiveHint":true}',
    ]);
  });

  it('is bounded: values cut to 200 characters, at most 40 lines', () => {
    const long = 'x'.repeat(5000);
    const line = describeChange(definitionOf(tool()), definitionOf(tool({ description: long })));
    expect(line.length).toBeLessThan(250);
    expect(line).toMatch(/…"?$|…$/);
    const many = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`p${i}`, { type: 'string' }]));
    const manyAfter = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`p${i}`, { type: 'number' }]));
    const diff = describeChange(
      definitionOf(tool({ inputSchema: { type: 'object', properties: many } })),
      definitionOf(tool({ inputSchema: { type: 'object', properties: manyAfter } })),
    ).split('\n');
    expect(diff).toHaveLength(40);
    expect(diff.at(-1)).toBe('… 61 more changes');
  });
});

describe('describeChange with keys Object.prototype has', () => {
  it('a property named constructor or __proto__ added to a schema reads as added', () => {
    const before = definitionOf(tool({ inputSchema: { type: 'object', properties: {} } }));
    const properties = JSON.parse('{"constructor":{"type":"string"},"__proto__":{"type":"string"}}') as object;
    const after = definitionOf(tool({ inputSchema: { type: 'object', properties } as Tool['inputSchema'] }));
    expect(describeChange(before, after)).toBe('inputSchema: +properties.__proto__, +properties.constructor');
  });
});
