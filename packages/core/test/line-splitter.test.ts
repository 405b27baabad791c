import { describe, expect, it } from 'vitest';
import { LineSplitter, type OverflowInfo } from '../src/line-splitter.js';

function split(chunks: string[], max = 1024): { lines: string[]; overflows: OverflowInfo[] } {
  const lines: string[] = [];
  const overflows: OverflowInfo[] = [];
  const s = new LineSplitter(
    max,
    (l) => lines.push(l.toString('utf8')),
    (info) => overflows.push(info),
  );
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
    const s = new LineSplitter(
      100,
      (l) => lines.push(l.toString('utf8')),
      () => undefined,
    );
    for (const b of bytes) s.push(Buffer.from([b]));
    expect(lines).toEqual(['é€']);
  });

  it('drops a line over the limit up to its newline and reports it once, with head and tail', () => {
    const { lines, overflows } = split(['x'.repeat(10), 'y'.repeat(10), 'z'.repeat(10) + '\nok\n'], 15);
    expect(lines).toEqual(['ok']);
    expect(overflows).toHaveLength(1);
    expect(overflows[0]!.bytes).toBe(30);
    expect(overflows[0]!.head.toString()).toBe('x'.repeat(10) + 'y'.repeat(10));
    expect(overflows[0]!.tail.toString()).toBe('x'.repeat(10) + 'y'.repeat(10) + 'z'.repeat(10));
  });

  it('keeps only the last 256 bytes as the tail of a huge dropped line', () => {
    const { overflows } = split(['a'.repeat(5000), 'b'.repeat(300), 'c'.repeat(100) + '\n'], 1000);
    expect(overflows[0]!.bytes).toBe(5400);
    expect(overflows[0]!.tail.toString()).toBe('b'.repeat(156) + 'c'.repeat(100));
    expect(overflows[0]!.head.toString()).toBe('a'.repeat(256));
  });

  it('joins a large line made of many chunks in one piece', () => {
    const chunk = 'a'.repeat(64 * 1024);
    const chunks = Array.from({ length: 64 }, () => chunk);
    chunks.push('\n');
    const { lines } = split(chunks, 8 * 1024 * 1024);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBe(64 * 64 * 1024);
  });

  it('drops a line over the limit that arrives whole in one read', () => {
    const { lines, overflows } = split([`${'x'.repeat(50_000)}\nok\n`], 1000);
    expect(lines).toEqual(['ok']);
    expect(overflows).toHaveLength(1);
    expect(overflows[0]!.bytes).toBe(50_000);
    expect(overflows[0]!.head.length).toBe(256);
  });

  it('drops a line that passes the limit only with its last piece', () => {
    const { lines, overflows } = split(['a'.repeat(900), `${'b'.repeat(200)}\nok\n`], 1000);
    expect(lines).toEqual(['ok']);
    expect(overflows[0]!.bytes).toBe(1100);
  });
});
