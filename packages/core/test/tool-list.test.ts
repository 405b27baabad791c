import { describe, expect, it } from 'vitest';
import { checkTools } from '../src/tool-list.js';

// JSON Schema 2020-12 tool schemas (MCP 2026-07-28) and `x-mcp-header` declarations.

const inputSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: { region: { type: 'string', enum: ['eu', 'us'] } },
  properties: {
    region: { $ref: '#/$defs/region' },
    env: { type: 'string', 'x-mcp-header': 'Env' },
    tags: { type: 'array', prefixItems: [{ type: 'string' }] },
  },
  unevaluatedProperties: false,
};
const outputSchema = {
  type: 'object',
  properties: { count: { $ref: '#/$defs/count' } },
  required: ['count'],
  $defs: { count: { type: 'integer', minimum: 0 } },
};

describe('checkTools', () => {
  it('keeps 2020-12 schemas exactly as the server gave them, and validates output through local $ref', () => {
    const { tools, invalid, outputValidators } = checkTools([{ name: 'deploy', inputSchema, outputSchema }]);
    expect(invalid).toEqual([]);
    // Same keys in the same order: nothing dereferenced, dropped or reordered.
    expect(JSON.stringify(tools[0]!.inputSchema)).toBe(JSON.stringify(inputSchema));
    expect(JSON.stringify(tools[0]!.outputSchema)).toBe(JSON.stringify(outputSchema));
    const validate = outputValidators.get('deploy')!;
    expect(validate({ count: 2 }).valid).toBe(true);
    expect(validate({ count: -1 }).valid).toBe(false);
  });

  it('in the 2026 era, leaves out a tool whose x-mcp-header is invalid and keeps the others’ declarations', () => {
    const bad = {
      name: 'bad',
      inputSchema: { type: 'object', properties: { n: { type: 'number', 'x-mcp-header': 'N' } } },
    };
    const good = { name: 'deploy', inputSchema };
    const modern = checkTools([bad, good], { paramHeaders: true });
    expect(modern.tools.map((t) => t.name)).toEqual(['deploy']);
    expect(modern.invalid).toEqual([{ name: 'bad', reason: expect.stringMatching(/^x-mcp-header: .*number/) }]);
    expect(modern.paramHeaders.get('deploy')).toEqual([{ path: ['env'], headerName: 'Env', type: 'string' }]);
    // 2025 servers know nothing of the extension: the same list is taken whole.
    const legacy = checkTools([bad, good]);
    expect(legacy.tools.map((t) => t.name)).toEqual(['bad', 'deploy']);
    expect(legacy.paramHeaders.size).toBe(0);
  });
});
