import { describe, expect, it } from 'vitest';
import { StderrTail } from '../src/stderr-tail.js';

describe('StderrTail', () => {
  it('keeps the last lines, bounded by count and by bytes', () => {
    const byCount = new StderrTail(3, 1000);
    for (const l of ['a', 'b', 'c', 'd']) byCount.push(l);
    expect(byCount.lines()).toEqual(['b', 'c', 'd']);
    const byBytes = new StderrTail(100, 10);
    for (const l of ['12345', '67890', 'abc']) byBytes.push(l);
    expect(byBytes.lines()).toEqual(['67890', 'abc']);
  });

  it('points at the line that says what went wrong, even with a stack after it', () => {
    const tail = new StderrTail();
    tail.push('node:internal/modules/cjs/loader:1228');
    tail.push('  throw err;');
    tail.push("Error: Cannot find module '/srv/app/servr.js'");
    for (let i = 0; i < 20; i += 1) tail.push(`    at frame ${i}`);
    expect(tail.salient()).toBe("Error: Cannot find module '/srv/app/servr.js'");
    const plain = new StderrTail();
    plain.push('starting');
    plain.push('TypeError: x is not a function');
    expect(plain.salient()).toBe('TypeError: x is not a function');
    expect(new StderrTail().salient()).toBeUndefined();
  });
});
