// The gateway's resumable-stream store: bounded in events and in bytes, so sessions a token
// holder opens cannot hold a server's large results without end.
import { MemoryEventStore } from '@universal-mcp/gateway';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';

const result = (id: number, chars: number): JSONRPCMessage => ({
  jsonrpc: '2.0',
  id,
  result: { content: [{ type: 'text', text: 'x'.repeat(chars) }] },
});

describe('MemoryEventStore', () => {
  it('keeps at most `limit` events, the oldest going first', async () => {
    const store = new MemoryEventStore(3);
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push(await store.storeEvent('s', result(i, 10)));
    expect(store.size).toBe(3);
    expect(await store.getStreamIdForEventId(ids[1] as string)).toBeUndefined();
    expect(await store.getStreamIdForEventId(ids[2] as string)).toBe('s');
  });

  it('keeps at most `maxBytes` of JSON, and always the newest event', async () => {
    const store = new MemoryEventStore(1_000, 10_000);
    for (let i = 0; i < 20; i += 1) await store.storeEvent('s', result(i, 1_000));
    expect(store.size).toBeLessThanOrEqual(9);
    expect(store.size).toBeGreaterThanOrEqual(8);
    // One event over the budget is kept alone (the newest is always kept), until the next comes.
    await store.storeEvent('s', result(99, 50_000));
    expect(store.size).toBe(1);
    const after = await store.storeEvent('s', result(100, 10));
    const last = await store.storeEvent('s', result(101, 10));
    expect(store.size).toBe(2);
    const sent: string[] = [];
    expect(await store.replayEventsAfter(after, { send: async (id) => void sent.push(id) })).toBe('s');
    expect(sent).toEqual([last]);
  });
});
