import { describe, expect, it } from 'vitest';
import { ArgumentValidator } from '../src/argument-validator.js';
import { LazyJsonSchemaValidator } from '../src/lazy-validator.js';
import { schemaRegExp, unenforceablePattern } from '../src/schema-regexp.js';

const withPattern = (pattern: string) =>
  ({ type: 'object', properties: { v: { type: 'string', pattern } } }) as Record<string, unknown>;

describe('schema patterns on RE2', () => {
  it('a catastrophic pattern is linear: ^(a|a)*$ against 100,000 a and a b ends', () => {
    // On RegExp this is 2^100000 steps; 48 characters already take hours. No speed is asserted: it ends.
    const validate = new LazyJsonSchemaValidator().getValidator(withPattern('^(a|a)*$'));
    expect(validate({ v: 'a'.repeat(100_000) + 'b' }).valid).toBe(false);
    expect(validate({ v: 'aaaa' }).valid).toBe(true);
  });

  it.each([
    ['draft-07', 'http://json-schema.org/draft-07/schema#'],
    ['2019-09', 'https://json-schema.org/draft/2019-09/schema'],
    ['2020-12', 'https://json-schema.org/draft/2020-12/schema'],
  ])('every dialect engine the SDK builds runs patterns on RE2 (%s)', (_, $schema) => {
    const validate = new LazyJsonSchemaValidator().getValidator({ $schema, ...withPattern('^(a|a)*$') });
    expect(validate({ v: 'a'.repeat(100_000) + 'b' }).valid).toBe(false);
  });

  it('keeps JavaScript pattern semantics for the usual syntax (\\u escapes, \\d, classes, unanchored search)', () => {
    const validate = new LazyJsonSchemaValidator().getValidator(withPattern('\\u00e9[\\d-]{2}'));
    expect(validate({ v: 'xé4-y' }).valid).toBe(true);
    expect(validate({ v: 'e44' }).valid).toBe(false);
    expect(unenforceablePattern('^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$')).toBeUndefined();
  });

  it('patternProperties keys run on RE2 too', () => {
    const validate = new LazyJsonSchemaValidator().getValidator({
      type: 'object',
      patternProperties: { '^(a|a)*$': { type: 'number' } },
    });
    expect(validate({ [`${'a'.repeat(60)}b`]: 'text' }).valid).toBe(true);
    expect(validate({ aaa: 'text' }).valid).toBe(false);
  });

  it('a pattern RE2 cannot compile (backreference, lookahead) is not enforced, never an error', () => {
    expect(unenforceablePattern('^(a)\\1$')).toMatch(/.+/);
    expect(unenforceablePattern('^(?=a)')).toMatch(/.+/);
    expect(schemaRegExp('^(a)\\1$', 'u').test('anything')).toBe(true);
    const error = new ArgumentValidator().check('s', { name: 't', inputSchema: withPattern('^(a)\\1$') } as never, {
      v: 'xyz',
    });
    expect(error).toBeUndefined();
  });

  it('two schemas with different patterns never share a matcher (Ajv keys them by toString)', () => {
    expect(String(schemaRegExp('^a$', 'u'))).not.toBe(String(schemaRegExp('^b$', 'u')));
    const ajv = new LazyJsonSchemaValidator();
    expect(ajv.getValidator(withPattern('^a$'))({ v: 'a' }).valid).toBe(true);
    expect(ajv.getValidator(withPattern('^b$'))({ v: 'a' }).valid).toBe(false);
  });
});
