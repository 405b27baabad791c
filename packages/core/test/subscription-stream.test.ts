import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Client, McpSubscription } from '@modelcontextprotocol/client';
import { SubscriptionStream, relistenDelay } from '../src/subscription-stream.js';

// A fake Client with only `listen()`: a server that acknowledges each stream and ends it at once
// (the real path, a cut stream on a live server, is test/v2/listen-cut.test.ts). Fake timers: arithmetic.
function closingAtOnce(): { client: Client; opens: () => number } {
  let opens = 0;
  const listen = async (): Promise<McpSubscription> => {
    opens += 1;
    return { closed: Promise.resolve('remote'), close: async () => undefined } as unknown as McpSubscription;
  };
  return { client: { listen } as unknown as Client, opens: () => opens };
}

describe('subscriptions/listen reopening', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('backs off from 1 s, doubling, to at most 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 1000].map(relistenDelay)).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('a server that ends every stream at once is not hammered, and is never given up on', async () => {
    const { client, opens } = closingAtOnce();
    const errors: Error[] = [];
    const stream = new SubscriptionStream(client, { tools: true, prompts: false, resources: false }, (e) =>
      errors.push(e),
    );
    await stream.start(1000);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(opens()).toBe(6); // at 0, 1, 3, 7, 15 and 31 s
    await vi.advanceTimersByTimeAsync(300_000);
    expect(opens()).toBe(16); // then one every 30 s
    expect(errors).toEqual([]);
    await stream.close();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(opens()).toBe(16);
  });
});
