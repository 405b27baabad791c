import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_POLICY, ErrorCode, UniversalMcpError, type ServerPolicy } from '@universal-mcp/core';
import type { UniversalMcpEvents } from '../src/events.js';
import { resolvePolicy } from '../src/restart-policy.js';
import { SupervisedServer } from '../src/supervised-server.js';
import { EventHub } from '../src/event-hub.js';
import { fakeConnection, flush, type FakeConnection } from './fake-connection.js';

// SupervisedServer's decisions (restart or give up, when, how often; waiting calls) with the
// connection machine's actors faked and time faked.

interface Harness {
  server: SupervisedServer;
  fake: FakeConnection;
  events: { name: string; payload: Record<string, unknown> }[];
}

function harness(policy: ServerPolicy = {}, failFirstAttempt = false): Harness {
  const fake = fakeConnection();
  const emitter = new EventHub<UniversalMcpEvents>((err) => {
    throw err;
  });
  const events: Harness['events'] = [];
  const names = ['server:state', 'server:restarting', 'server:given-up', 'server:ready', 'server:input-required'];
  for (const name of names as (keyof UniversalMcpEvents)[]) {
    emitter.on(name, (payload: object) => events.push({ name, payload: payload as Record<string, unknown> }));
  }
  const config = { name: 's', transport: 'stdio' as const, command: 'unused' };
  const server = new SupervisedServer({
    config,
    policy: resolvePolicy({ backoff: { jitter: 0 }, health: { intervalMs: 0 }, ...policy }, config),
    logger: pino({ level: 'silent' }),
    emitter,
    failFirstAttempt,
    machine: fake.machine,
  });
  server.start();
  return { server, fake, events };
}

const connectFailed = (): UniversalMcpError => new UniversalMcpError(ErrorCode.CONNECT_FAILED, 'refused');
const lost = (
  code: UniversalMcpError['code'] = ErrorCode.CONNECTION_LOST,
  exit?: { code: number | null; signal: NodeJS.Signals | null },
) => ({
  type: 'connection.lost' as const,
  error: new UniversalMcpError(code, 'gone', { exit }),
});
const delays = (h: Harness): number[] =>
  h.events.filter((e) => e.name === 'server:restarting').map((e) => e.payload.delayMs as number);

async function ready(h: Harness): Promise<void> {
  h.fake.attempts.at(-1)!.resolve();
  await flush();
  expect(h.server.state).toBe('ready');
}

describe('SupervisedServer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('restarts with backoff initial × multiplier^(n-1), capped; gives up past the intensity limit', async () => {
    const h = harness({
      backoff: { initialDelayMs: 100, multiplier: 2, maxDelayMs: 500, jitter: 0 },
      intensity: { maxRestarts: 4, windowMs: 60_000 },
    });
    for (let i = 0; i < 5; i += 1) {
      h.fake.attempts.at(-1)!.reject(connectFailed());
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(delays(h)).toEqual([100, 200, 400, 500]);
    expect(h.events.filter((e) => e.name === 'server:given-up')).toHaveLength(1);
    expect(h.server.givenUp).toBe(true);
    expect(h.fake.attempts).toHaveLength(5); // nothing more is tried
    await expect(h.server.callTool('echo', {})).rejects.toMatchObject({ code: ErrorCode.SERVER_UNAVAILABLE });
  });

  it('the next attempt starts no sooner than its delay', async () => {
    const h = harness({ backoff: { initialDelayMs: 1000, jitter: 0 } });
    h.fake.attempts[0]!.reject(connectFailed());
    await flush();
    await vi.advanceTimersByTimeAsync(999);
    expect(h.fake.attempts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.fake.attempts).toHaveLength(2);
  });

  it.each([
    ['transient', { code: 0, signal: null }, 'given up'],
    ['transient', { code: 1, signal: null }, 'restarted'],
    ['temporary', { code: 1, signal: null }, 'given up'],
    ['permanent', { code: 0, signal: null }, 'restarted'],
  ] as const)('restart: %s after exit %j is %s', async (restart, exit, outcome) => {
    const h = harness({ restart });
    await ready(h);
    h.fake.lose(lost(ErrorCode.CONNECTION_LOST, exit));
    await flush();
    expect(h.server.givenUp).toBe(outcome === 'given up');
  });

  it('a lost session or authorization is reconnected at once; the backoff does not grow', async () => {
    const h = harness({ backoff: { initialDelayMs: 1000, jitter: 0 } });
    await ready(h);
    h.fake.lose(lost(ErrorCode.SESSION_EXPIRED));
    await flush();
    await ready(h);
    h.fake.lose(lost(ErrorCode.AUTH_FAILED));
    await flush();
    await ready(h);
    h.fake.lose(lost());
    await flush();
    expect(delays(h)).toEqual([0, 0, 1000]);
  });

  it('credentials refused while connecting: given up at once, never retried as they are', async () => {
    const h = harness();
    h.fake.attempts[0]!.reject(new UniversalMcpError(ErrorCode.AUTH_FAILED, 'no'));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.server.givenUp).toBe(true);
    expect(h.fake.attempts).toHaveLength(1);
  });

  it('after resetAfterMs in ready, the next failure starts the backoff from the beginning', async () => {
    const h = harness({ backoff: { initialDelayMs: 100, multiplier: 3, jitter: 0, resetAfterMs: 5000 } });
    h.fake.attempts[0]!.reject(connectFailed());
    await vi.advanceTimersByTimeAsync(100);
    h.fake.attempts[1]!.reject(connectFailed());
    await vi.advanceTimersByTimeAsync(300);
    await ready(h);
    await vi.advanceTimersByTimeAsync(5000);
    h.fake.lose(lost());
    await flush();
    expect(delays(h)).toEqual([100, 300, 100]);
  });

  it('restart() on a ready server reconnects at once, recording no error', async () => {
    const h = harness();
    await ready(h);
    h.server.restart();
    await flush();
    expect(h.fake.sessions[0]!.close).toHaveBeenCalled();
    expect(h.fake.attempts).toHaveLength(2);
    expect(h.server.lastError).toBeUndefined();
    expect(delays(h)).toEqual([0]);
  });

  it('restart() cuts a pending backoff short, and brings back a given-up server', async () => {
    const h = harness({ backoff: { initialDelayMs: 60_000, jitter: 0 }, restart: 'transient' });
    h.fake.attempts[0]!.reject(connectFailed());
    await flush();
    expect(h.server.state).toBe('restarting');
    h.server.restart();
    await flush();
    expect(h.fake.attempts).toHaveLength(2);
    await ready(h);
    h.fake.lose(lost(ErrorCode.CONNECTION_LOST, { code: 0, signal: null }));
    await flush();
    expect(h.server.givenUp).toBe(true);
    h.server.restart();
    await flush();
    expect(h.server.givenUp).toBe(false);
    expect(h.fake.attempts).toHaveLength(3);
  });

  describe('a call while the server is not ready', () => {
    it("'wait' (the default): answered once the server is ready, within the call's timeout", async () => {
      const h = harness();
      const call = h.server.callTool('echo', { text: 'hi' }, { timeoutMs: 5000 });
      await vi.advanceTimersByTimeAsync(1000);
      await ready(h);
      await expect(call).resolves.toMatchObject({ content: [{ text: '{"text":"hi"}' }] });
    });

    it("'wait': SERVER_UNAVAILABLE (never sent, not a TIMEOUT) when the server is not ready in time", async () => {
      const h = harness();
      const call = h.server.callTool('echo', {}, { timeoutMs: 5000 }).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(5000);
      expect(await call).toMatchObject({
        code: ErrorCode.SERVER_UNAVAILABLE,
        details: { servers: { [h.server.name]: { state: 'connecting' } } },
      });
      expect(((await call) as Error).message).toMatch(
        /was not ready within 5000 ms \(connecting\); the request was not sent/,
      );
    });

    it("'wait': rejected at once when the server is given up or removed", async () => {
      const h = harness({ restart: 'temporary' });
      const call = h.server.callTool('echo', {}, { timeoutMs: 60_000 }).catch((e: unknown) => e);
      h.fake.attempts[0]!.reject(connectFailed());
      await flush();
      expect(await call).toMatchObject({ code: ErrorCode.SERVER_UNAVAILABLE });
      const h2 = harness();
      const removed = h2.server.callTool('echo', {}).catch((e: unknown) => e);
      void h2.server.stop();
      await flush();
      expect(await removed).toMatchObject({ code: ErrorCode.CLOSED });
    });

    it("'wait': at most queue.maxQueued calls wait; one more is QUEUE_FULL", async () => {
      const h = harness({ queue: { maxQueued: 2 } });
      const waiting = [h.server.callTool('echo', {}), h.server.callTool('echo', {})];
      await expect(h.server.callTool('echo', {})).rejects.toMatchObject({ code: ErrorCode.QUEUE_FULL });
      await ready(h);
      await expect(Promise.all(waiting)).resolves.toHaveLength(2);
    });

    it("'fail': SERVER_UNAVAILABLE at once", async () => {
      const h = harness({ whileReconnecting: 'fail' });
      await expect(h.server.callTool('echo', {})).rejects.toMatchObject({ code: ErrorCode.SERVER_UNAVAILABLE });
    });
  });

  it('a call in flight when the connection drops is not retried unless the tool is safe', async () => {
    const h = harness();
    await ready(h);
    let rejectCall!: (err: unknown) => void;
    h.fake.answer = () => new Promise((_resolve, reject) => (rejectCall = reject));
    const call = h.server.callTool('echo', {}).catch((e: unknown) => e);
    await flush();
    rejectCall(new UniversalMcpError(ErrorCode.SESSION_EXPIRED, 'forgot'));
    h.fake.lose(lost(ErrorCode.SESSION_EXPIRED));
    expect(await call).toMatchObject({ code: ErrorCode.SESSION_EXPIRED });
  });

  it('a safe tool whose session expired is retried once on the new session', async () => {
    const h = harness();
    await ready(h);
    let first = true;
    h.fake.answer = async () => {
      if (first) {
        first = false;
        throw new UniversalMcpError(ErrorCode.SESSION_EXPIRED, 'forgot');
      }
      return { content: [{ type: 'text', text: 'second time' }] };
    };
    const call = h.server.callTool('read', {});
    await flush();
    h.fake.lose(lost(ErrorCode.SESSION_EXPIRED));
    await flush();
    await ready(h);
    await expect(call).resolves.toMatchObject({ content: [{ text: 'second time' }] });
  });

  it('a hard deadline ends a call that never answers, whatever its idle timeout', async () => {
    const h = harness();
    await ready(h);
    h.fake.answer = () => new Promise(() => undefined); // never answers
    const call = h.server.callTool('echo', {}, { timeoutMs: 60_000, deadlineMs: 2000 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(2000);
    expect(await call).toMatchObject({ code: ErrorCode.TIMEOUT, details: { kind: 'deadline', ms: 2000 } });
  });

  it('a pinned revision the server does not offer, while connecting: given up at once, as credentials', async () => {
    const h = harness();
    const refusal = new UniversalMcpError(ErrorCode.UNSUPPORTED_PROTOCOL_VERSION, 'no', {
      details: { supported: ['2025-11-25'], requested: '2026-07-28' },
    });
    h.fake.attempts[0]!.reject(refusal);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.server.givenUp).toBe(true);
    expect(h.fake.attempts).toHaveLength(1);
    expect(h.events.find((e) => e.name === 'server:given-up')?.payload.error).toBe(refusal);
    // restartServer brings it back, as for every given-up server (the server may have been upgraded).
    h.server.restart();
    await flush();
    expect(h.fake.attempts).toHaveLength(2);
  });

  it('server:ready and info() tell the era and revision; info() keeps them while the server reconnects', async () => {
    const h = harness({ backoff: { initialDelayMs: 1000, jitter: 0 } });
    h.fake.era = { era: '2026-07-28', protocolVersion: '2026-07-28' };
    await ready(h);
    expect(h.events.find((e) => e.name === 'server:ready')?.payload).toMatchObject({
      era: '2026-07-28',
      protocolVersion: '2026-07-28',
    });
    h.fake.lose(lost());
    await flush();
    expect(h.server.state).not.toBe('ready');
    expect(h.server.info()).toMatchObject({ era: '2026-07-28', protocolVersion: '2026-07-28' });
    h.fake.era = { era: '2025-11-25', protocolVersion: '2025-06-18' };
    await vi.advanceTimersByTimeAsync(1000);
    await ready(h);
    expect(h.server.info()).toMatchObject({ era: '2025-11-25', protocolVersion: '2025-06-18' });
  });

  it('an MRTR round is a server:input-required event, its server-chosen names bounded', async () => {
    const h = harness();
    await ready(h);
    h.fake.listener?.inputRequired?.({
      method: 'tools/call',
      round: 2,
      requests: [
        { key: 'ask', method: 'elicitation/create' },
        { key: 'k'.repeat(10_000), method: 'sampling/createMessage' },
        ...Array.from({ length: 1000 }, (_, i) => ({ key: `r${i}`, method: 'roots/list' })),
      ],
    });
    const event = h.events.find((e) => e.name === 'server:input-required')?.payload;
    expect(event).toMatchObject({ server: 's', method: 'tools/call', round: 2 });
    const requests = event?.requests as { key: string; method: string }[];
    expect(requests[0]).toEqual({ key: 'ask', method: 'elicitation/create' });
    expect(requests[1]!.key.length).toBeLessThanOrEqual(128);
    expect(requests.length).toBeLessThanOrEqual(64);
  });

  it('uses the policy defaults it was given', () => {
    expect(harness().server.policy.callTimeoutMs).toBe(DEFAULT_POLICY.callTimeoutMs);
  });
});
