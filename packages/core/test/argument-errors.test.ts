import { describe, expect, it } from 'vitest';
import type { Tool } from '@modelcontextprotocol/client';
import { describeArgumentErrors } from '../src/argument-errors.js';
import { ArgumentValidator } from '../src/argument-validator.js';

const tool = (inputSchema: object): Tool => ({ name: 't', inputSchema: inputSchema as Tool['inputSchema'] });

describe('argument errors', () => {
  it('a missing required argument is named, with its path in details.field (through the real Ajv)', () => {
    const err = new ArgumentValidator().check(
      's',
      tool({ type: 'object', properties: { path: { type: 'string' } }, required: ['path'] }),
      {},
    );
    expect(err?.message).toBe('Invalid arguments for tool "t" on "s": missing required argument "path"');
    expect(err?.details).toEqual({ tool: 't', field: 'path' });
  });

  it('nested and several problems: dotted paths, one clause each, the first one as the field', () => {
    const schema = {
      type: 'object',
      properties: {
        opts: { type: 'object', properties: { depth: { type: 'integer' } }, required: ['mode'] },
        pattern: { type: 'string', pattern: '^a, b$' },
      },
    };
    const err = new ArgumentValidator().check('s', tool(schema), { opts: { depth: 1.5 }, pattern: 'x' });
    expect(err?.message).toBe(
      'Invalid arguments for tool "t" on "s": missing required argument "opts.mode"; ' +
        'argument "opts.depth" must be integer; argument "pattern" must match pattern "^a, b$"',
    );
    expect(err?.details).toEqual({ tool: 't', field: 'opts.mode' });
  });

  it('a problem with the arguments object itself names no field', () => {
    expect(describeArgumentErrors('data must NOT have additional properties')).toEqual({
      text: 'the arguments must NOT have additional properties',
      field: undefined,
    });
    expect(describeArgumentErrors(undefined)).toEqual({ text: 'invalid', field: undefined });
  });
});
