import { describe, expect, it } from 'vitest';
import { Bm25f } from '../src/bm25f.js';

const params = { weights: [2, 1], b: [0.75, 0.75], k1: 1.2 };

describe('Bm25f', () => {
  it('picks the same top k as scoring every document and sorting', () => {
    const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];
    let seed = 7;
    const next = (): number => (seed = (seed * 16807) % 2147483647);
    const index = new Bm25f(params);
    for (let d = 0; d < 300; d += 1) {
      const pick = (): string[] => Array.from({ length: 1 + (next() % 6) }, () => words[next() % words.length] ?? '');
      index.set(`d${d}`, [pick(), pick()]);
    }
    const all = index.search(['alpha', 'zeta'], 300);
    const sorted = [...all].sort((x, y) => y.score - x.score);
    expect(all.map((h) => h.score)).toEqual(sorted.map((h) => h.score));
    expect(index.search(['alpha', 'zeta'], 7)).toEqual(all.slice(0, 7));
    expect(index.search(['alpha', 'zeta'], 7)).toEqual(all.slice(0, 7)); // scores were reset between searches
  });

  it('weights fields, forgets deleted documents and reuses their slots', () => {
    const index = new Bm25f(params);
    index.set('in-name', [['weather'], ['city', 'forecast']]);
    index.set('in-text', [['forecast'], ['weather', 'city']]);
    expect(index.search(['weather'], 2).map((h) => h.id)).toEqual(['in-name', 'in-text']);
    index.delete('in-name');
    expect(index.search(['weather'], 2).map((h) => h.id)).toEqual(['in-text']);
    index.set('again', [['weather'], []]);
    index.set('in-text', [['forecast'], ['city']]); // replaced: no longer about the weather
    expect(index.search(['weather'], 5).map((h) => h.id)).toEqual(['again']);
    expect(index.size).toBe(2);
    expect(index.search(['nothing'], 5)).toEqual([]);
  });

  it('saturates a word repeated past what a posting counts, and refuses more fields than it packs', () => {
    const index = new Bm25f(params);
    index.set('many', [Array.from({ length: 100 }, () => 'echo'), []]);
    index.set('one', [['echo'], []]);
    const [many, one] = index.search(['echo'], 2);
    expect(many?.id).toBe('many');
    expect(Number.isFinite(many?.score) && (many?.score ?? 0) > (one?.score ?? 0)).toBe(true);
    expect(() => new Bm25f({ weights: [1, 1, 1, 1, 1, 1, 1], b: [], k1: 1.2 })).toThrow(/at most 6 fields/);
  });
});
