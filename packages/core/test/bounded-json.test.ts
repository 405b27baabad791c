import { describe, expect, it } from 'vitest';
import { boundJson, jsonText } from '../src/bounded-json.js';
import { isSecretName } from '../src/config.js';

/** JSON nested `depth` objects deep, parsed (JSON.parse goes deeper than JSON.stringify). */
const deep = (depth: number): unknown => JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);

describe('boundJson', () => {
  it('cuts what nests deeper than maxDepth with a note, where JSON.stringify throws', () => {
    const value = deep(20_000);
    expect(() => JSON.stringify(value)).toThrow(RangeError);
    const { value: kept, cut } = boundJson(value, { maxDepth: 3 });
    expect(cut).toBe(true);
    expect(kept).toEqual({ a: { a: { a: '[cut: nested deeper than 3 levels]' } } });
  });

  it('cuts strings, items and keys past maxChars, each with a note', () => {
    expect(boundJson('x'.repeat(100), { maxChars: 10 }).value).toBe(`${'x'.repeat(10)}… [cut: 90 more characters]`);
    const items = boundJson(
      Array.from({ length: 1000 }, (_, i) => i),
      { maxChars: 50 },
    ).value as unknown[];
    expect(items.at(-1)).toMatch(/^\[cut: \d+ more items\]$/);
    const keys = boundJson(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i])), { maxChars: 50 });
    expect((keys.value as Record<string, unknown>)['…']).toMatch(/^\[cut: \d+ more keys\]$/);
  });

  it('leaves a value within bounds as JSON.stringify writes it, and says nothing was cut', () => {
    const value = { s: 'é', n: 1.5, b: true, z: null, u: undefined, list: [1, undefined], at: new Date(0) };
    const { value: kept, cut } = boundJson(value);
    expect(cut).toBe(false);
    expect(JSON.stringify(kept)).toBe(JSON.stringify(value));
  });

  it('notes cycles, writes bigints as strings, and redacts the keys asked for (not a cut)', () => {
    const loop: Record<string, unknown> = { name: 'loop', n: 10n };
    loop.self = loop;
    expect(boundJson(loop).value).toEqual({ name: 'loop', n: '10', self: '[cut: circular]' });
    const { value, cut } = boundJson({ user: 'ada', nested: [{ GITHUB_TOKEN: 'x' }] }, { redact: isSecretName });
    expect(value).toEqual({ user: 'ada', nested: [{ GITHUB_TOKEN: '[redacted]' }] });
    expect(cut).toBe(false);
  });

  it('jsonText never throws for a hostile value', () => {
    expect(jsonText(deep(20_000), { maxDepth: 2 })).toBe('{"a":{"a":"[cut: nested deeper than 2 levels]"}}');
    expect(jsonText(undefined)).toBe('null');
  });
});

describe('isSecretName', () => {
  it.each([
    'access_token',
    'refresh_token',
    'client_secret',
    'clientSecret',
    'x-api-key',
    'apiToken',
    'GITHUB_TOKEN',
    'private_key',
    'sessionToken',
    'Authorization',
    'cookie',
    'passwd',
  ])('%s looks secret', (name) => expect(isSecretName(name)).toBe(true));
  it.each(['text', 'city', 'query', 'path'])('%s does not', (name) => expect(isSecretName(name)).toBe(false));
});
