import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../src/line-splitter.js';

function split(chunks: string[], max = 1024): { lines: string[]; overflows: number[] } {
  const lines: string[] = [];
  const overflows: number[] = [];
  const s = new LineSplitter(max, (l) => lines.push(l.toString('utf8')), (n) => overflows.push(n));
  for (const c of chunks) s.push(Buffer.from(c));
  return { lines, overflows };
}

describe('LineSplitter', () => {
  it('splits lines within and across chunks', () => {
    expect(split(['a\nb', 'c\n', 'd', 'e', '\n\n']).lines).toEqual(['a', 'bc', 'de', '']);
  });

  it('keeps multi-byte characters split across chunks intact', () => {
    const bytes = Buffer.from('é€\n');
    const lines: string[] = [];
    const s = new LineSplitter(100, (l) => lines.push(l.toString('utf8')), () => undefined);
    for (const b of bytes) s.push(Buffer.from([b]));
    expect(lines).toEqual(['é€']);
  });

  it('drops a line over the limit up to its newline and reports it once', () => {
    const { lines, overflows } = split(['x'.repeat(10), 'y'.repeat(10), 'z'.repeat(10) + '\nok\n'], 15);
    expect(lines).toEqual(['ok']);
    expect(overflows).toHaveLength(1);
  });

  it('joins a large line made of many chunks in one piece', () => {
    const chunk = 'a'.repeat(64 * 1024);
    const chunks = Array.from({ length: 64 }, () => chunk);
    chunks.push('\n');
    const { lines } = split(chunks, 8 * 1024 * 1024);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBe(64 * 64 * 1024);
  });
});
