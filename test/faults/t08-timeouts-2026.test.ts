import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient } from '@universal-mcp/supervisor';
import { eventually } from '../helpers/servers.js';
import {
  eraOf,
  fixtureLog,
  startV2FaultsHttp,
  v2FaultsStdio,
  type FixtureLog,
  type RestartableHttp,
} from '../helpers/v2-faults.js';

// T8 in the 2026 era: the idle timeout (reset by progress), the hard deadline and a user abort are
// ours, as in 2025; what differs is how the server hears of it. On stdio the client still sends
// notifications/cancelled; on Streamable HTTP closing the request's response stream IS the
// cancellation and no notifications/cancelled is sent (spec 2026-07-28 basic/transports,
// "Cancellation"). The fixture logs "cancelled <tool>" when its handler's signal aborts.
describe.each(['stdio', 'streamable_http'] as const)('T8 timeouts, 2026 era over %s', (transport) => {
  let client: UniversalMcpClient;
  let log: FixtureLog;
  let server: RestartableHttp | undefined;
  let serverPid: number;
  afterEach(async () => {
    await client.close();
    await server?.stop();
    await log.remove();
  });

  async function setup(): Promise<void> {
    log = await fixtureLog();
    client = new UniversalMcpClient();
    if (transport === 'stdio') {
      serverPid = (await client.addServer(v2FaultsStdio('t', '2026-07-28', log))).pid!;
    } else {
      server = await startV2FaultsHttp(log);
      serverPid = server.child.pid!;
      await client.addServer({
        name: 't',
        transport,
        url: server.url,
        protocol: '2026-07-28',
        health: { intervalMs: 0 },
      });
    }
    expect(eraOf(client.getServerInfo('t'))).toBe('2026-07-28');
  }

  /** Waits until the server's handler saw its signal abort, and checks how it was told. */
  async function serverSawCancel(tool: string): Promise<void> {
    // the target is 100 ms; this bound is for a loaded machine
    await eventually(async () => (await log.of(serverPid)).includes(`cancelled ${tool}`), 10_000);
    await new Promise((r) => setTimeout(r, 200)); // a notification sent as well would be logged by now
    const notified = (await log.of(serverPid)).includes('notifications/cancelled');
    expect(notified).toBe(transport === 'stdio');
  }

  it('progress keeps a call alive past its idle timeout', async () => {
    await setup();
    // sleep reports progress every 100 ms for 3 s; the idle timeout is 1.5 s (wide: a loaded machine stalls)
    await expect(client.callTool('t', 'sleep', { ms: 3000 }, { timeoutMs: 1500 })).resolves.toMatchObject({
      content: [{ text: 'slept 3000' }],
    });
  });

  it('a silent call fails with TIMEOUT at its idle timeout, and the server sees the cancellation', async () => {
    await setup();
    const t0 = performance.now();
    const err = await client.callTool('t', 'hang', { ms: 20_000 }, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.TIMEOUT, details: { kind: 'idle', ms: 300 } });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    await serverSawCancel('hang');
  });

  it('the hard deadline cuts a call that keeps reporting progress; the server sees it', async () => {
    await setup();
    const err = await client
      .callTool('t', 'sleep', { ms: 20_000 }, { timeoutMs: 300, deadlineMs: 700 })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCode.TIMEOUT, details: { kind: 'deadline', ms: 700 } });
    await serverSawCancel('sleep');
  });

  it('a user abort is CANCELLED, never a timeout, and the server sees it', async () => {
    await setup();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 150);
    await expect(
      client.callTool('t', 'sleep', { ms: 20_000 }, { signal: ac.signal, deadlineMs: 30_000 }),
    ).rejects.toMatchObject({ code: ErrorCode.CANCELLED });
    await serverSawCancel('sleep');
    // the connection is still good
    await expect(client.callTool('t', 'echo', { text: 'still' })).resolves.toMatchObject({
      content: [{ text: 'still' }],
    });
  });
});
