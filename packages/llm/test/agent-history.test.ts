import { describe, expect, it } from 'vitest';
import { trimHistory } from '../src/agent.js';
import type { ChatMessage } from '../src/model.js';

const turn = (n: number, size: number): ChatMessage[] => [
  { role: 'user', content: `question ${n} ${'x'.repeat(size)}` },
  { role: 'assistant', content: '', toolCalls: [{ id: `c${n}`, name: 'echo', args: {} }] },
  {
    role: 'tool',
    results: [
      { id: `c${n}`, name: 'echo', outcome: { isError: false, parts: [{ type: 'text', text: 'y'.repeat(size) }] } },
    ],
  },
  { role: 'assistant', content: `answer ${n}` },
];

describe('trimHistory', () => {
  it('drops whole turns, oldest first, never a tool call without its result, always keeping the last turn', () => {
    const history = [...turn(1, 400), ...turn(2, 400), ...turn(3, 400)];
    const trimmed = trimHistory(history, 300); // a turn is about 230 tokens here
    expect(trimmed[0]).toMatchObject({ role: 'user', content: expect.stringMatching(/^question 3/) });
    expect(trimmed).toHaveLength(4);
    expect(trimHistory(history, 1_000_000)).toEqual(history);
    expect(trimHistory(turn(1, 10_000), 10)).toHaveLength(4); // the last turn stays, whatever its size
    for (const cut of [trimHistory(history, 900), trimHistory(history, 1500)]) {
      expect(cut[0]?.role).toBe('user');
      const calls = cut.flatMap((m) => (m.role === 'assistant' ? (m.toolCalls ?? []).map((c) => c.id) : []));
      const results = cut.flatMap((m) => (m.role === 'tool' ? m.results.map((r) => r.id) : []));
      expect(results).toEqual(calls);
    }
  });
});
