import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../src/history.js';
import { historyPage, MAX_PAGE } from '../src/history-page.js';

const entry = (at: number, tool: string): HistoryEntry => ({
  at,
  server: 's',
  tool,
  durationMs: 1,
  outcome: 'ok',
  source: 'client',
});

describe('a page of the history', () => {
  // Newest first, three calls ending in the same millisecond across a page boundary.
  const entries = [entry(50, 'e'), entry(40, 'd'), entry(40, 'c'), entry(40, 'b'), entry(30, 'a')];
  const tools = (page: HistoryEntry[]) => page.map((e) => e.tool).join('');

  it('gives the newest `limit` without a cursor, and the rest after the last one shown', () => {
    const first = historyPage(entries, undefined, 3);
    expect(tools(first)).toBe('edc');
    // The cursor: the last one's time, and how many of that millisecond were shown (2).
    expect(tools(historyPage(entries, '40.2', 3))).toBe('ba');
    expect(tools(historyPage(entries, '40', 3))).toBe('a');
    expect(tools(historyPage(entries, '30.1', 3))).toBe('');
  });

  it('takes no more than MAX_PAGE, at least one, and ignores a cursor it cannot read', () => {
    const many = Array.from({ length: MAX_PAGE + 10 }, (_, i) => entry(10_000 - i, `t${i}`));
    expect(historyPage(many, undefined, 1e9)).toHaveLength(MAX_PAGE);
    expect(historyPage(many, undefined, 0)).toHaveLength(1);
    expect(historyPage(many, undefined, Number.NaN)).toHaveLength(100);
    expect(historyPage(entries, 'drop table', 2)).toHaveLength(2);
  });
});
