import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient } from '@universal-mcp/supervisor';
import { eventually, fixtureStdio, parseStats } from '../helpers/servers.js';

// T8: an idle timeout reset by progress (without the caller passing onProgress) and a hard total
// deadline, both ours; the server sees notifications/cancelled; a user abort is CANCELLED.
describe('T8 timeouts', () => {
  let client: UniversalMcpClient;
  afterEach(() => client.close());
  const cancelled = async (): Promise<number> => parseStats(await client.callTool('t', 'stats')).cancelled.length;

  it('progress keeps a call alive past its idle timeout, with no onProgress given', async () => {
    client = new UniversalMcpClient();
    await client.addServer(fixtureStdio('t'));
    // sleep reports progress every 100 ms for 4 s; the idle timeout is 1.5 s (wide: a loaded machine stalls)
    await expect(client.callTool('t', 'sleep', { ms: 4000 }, { timeoutMs: 1500 })).resolves.toMatchObject({
      content: [{ text: 'slept 4000' }],
    });
  });

  it('a silent call fails with TIMEOUT at its idle timeout, and the server is told within 100 ms', async () => {
    client = new UniversalMcpClient();
    await client.addServer(fixtureStdio('t'));
    const t0 = performance.now();
    const err = await client.callTool('t', 'hang', { ms: 10_000 }, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.TIMEOUT, details: { kind: 'idle', ms: 300 } });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    await eventually(async () => (await cancelled()) === 1, 10_000);
  });

  it('the hard deadline cuts a call that keeps reporting progress', async () => {
    client = new UniversalMcpClient();
    await client.addServer(fixtureStdio('t'));
    const t0 = performance.now();
    const err = await client
      .callTool('t', 'sleep', { ms: 20_000 }, { timeoutMs: 300, deadlineMs: 700 })
      .catch((e: unknown) => e);
    const took = performance.now() - t0;
    expect(err).toMatchObject({ code: ErrorCode.TIMEOUT, details: { kind: 'deadline', ms: 700 } });
    expect(took).toBeGreaterThanOrEqual(690);
    expect(took).toBeLessThan(10_000); // cut by the deadline, not the 20 s sleep
    await eventually(async () => (await cancelled()) === 1, 10_000);
  });

  it('callDeadlineMs in the policy applies to every call', async () => {
    client = new UniversalMcpClient({ defaults: { callDeadlineMs: 400 } });
    await client.addServer(fixtureStdio('t'));
    await expect(client.callTool('t', 'sleep', { ms: 3000 })).rejects.toMatchObject({
      code: ErrorCode.TIMEOUT,
      details: { kind: 'deadline' },
    });
  });

  it('a user abort is CANCELLED even with a deadline set, and the server is told', async () => {
    client = new UniversalMcpClient();
    await client.addServer(fixtureStdio('t'));
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    await expect(
      client.callTool('t', 'sleep', { ms: 5000 }, { signal: ac.signal, deadlineMs: 10_000 }),
    ).rejects.toMatchObject({ code: ErrorCode.CANCELLED });
    await eventually(async () => (await cancelled()) === 1, 10_000);
  });

  it('an already aborted signal is CANCELLED without reaching the server', async () => {
    client = new UniversalMcpClient();
    await client.addServer(fixtureStdio('t'));
    await expect(client.callTool('t', 'hang', { ms: 100 }, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: ErrorCode.CANCELLED,
    });
    expect(parseStats(await client.callTool('t', 'stats')).maxInFlight).toBe(0);
  });
});
