import { describe, expect, it } from 'vitest';
import { appResultToKeep, MAX_APP_RESULT_CHARS, MAX_APP_RESULT_DEPTH } from '../src/app-result.js';
import { SqliteChatStore } from '../src/sqlite-chat-store.js';

const nested = (levels: number): unknown => (levels === 0 ? 'bottom' : { next: nested(levels - 1) });

describe('appResultToKeep', () => {
  it('keeps content, structuredContent and isError whole, with secrets redacted', () => {
    const kept = appResultToKeep({
      content: [{ type: 'text', text: 'noon' }],
      structuredContent: { time: '12:00', apiToken: 'sk-live-123', deep: nested(MAX_APP_RESULT_DEPTH - 4) },
      isError: false,
      _meta: { private: 'not for the App' },
    });
    expect(kept.cut).toBeUndefined();
    expect(kept.result).toEqual({
      content: [{ type: 'text', text: 'noon' }],
      structuredContent: { time: '12:00', apiToken: '[redacted]', deep: nested(MAX_APP_RESULT_DEPTH - 4) },
      isError: false,
    });
  });

  it('keeps nothing of a result past 256 KiB of JSON, or too deep: the App gets what the model saw', () => {
    const under = 'x'.repeat(MAX_APP_RESULT_CHARS - 1024);
    expect(appResultToKeep({ content: [{ type: 'text', text: under }] }).result).toBeDefined();
    // Short as a string, long as JSON (every quote escaped): the walk's estimate alone would let it through.
    const quoted = '"'.repeat(MAX_APP_RESULT_CHARS * 0.75);
    expect(appResultToKeep({ content: [], structuredContent: { quoted } })).toEqual({ cut: true });
    expect(appResultToKeep({ content: [{ type: 'text', text: 'x'.repeat(MAX_APP_RESULT_CHARS) }] })).toEqual({
      cut: true,
    });
    expect(appResultToKeep({ content: [], structuredContent: { deep: nested(MAX_APP_RESULT_DEPTH + 1) } })).toEqual({
      cut: true,
    });
  });

  it('is what the store keeps with a call, and says when it was cut', async () => {
    const store = await SqliteChatStore.open();
    try {
      const settings = { provider: 'p', model: 'm', system: '', servers: null, toolSelection: false };
      const { id } = await store.create({ title: 't', settings });
      const outcome = { parts: [{ type: 'text' as const, text: 'noon' }], isError: false };
      await store.append(id, {
        role: 'assistant',
        content: '',
        toolCalls: [
          {
            id: 'a',
            name: 'clock__get-time',
            args: {},
            outcome,
            result: { content: [], structuredContent: { time: 'noon', password: 'hunter2' } },
          },
          {
            id: 'b',
            name: 'clock__get-time',
            args: {},
            outcome,
            result: { content: [], structuredContent: { big: 'x'.repeat(MAX_APP_RESULT_CHARS) } },
          },
          { id: 'c', name: 'clock__get-time', args: {}, outcome, resultCut: true },
        ],
      });
      const calls = (await store.get(id))?.messages[0]?.toolCalls ?? [];
      expect(calls[0]?.result).toEqual({ content: [], structuredContent: { time: 'noon', password: '[redacted]' } });
      expect(calls[0]?.resultCut).toBeUndefined();
      expect(calls.slice(1).map((c) => [c.result, c.resultCut])).toEqual([
        [undefined, true],
        [undefined, true],
      ]);
    } finally {
      await store.close();
    }
  });
});
