import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient, type ServerStateEvent } from '@universal-mcp/supervisor';
import { descendantsOf, eventually, fixtureStdio as stdio } from '../helpers/servers.js';

describe('recovery', () => {
  let client: UniversalMcpClient;
  afterEach(async () => {
    await client.close();
    expect(await descendantsOf(process.pid)).toEqual([]);
  });

  it('after SIGKILL, in-flight calls reject with CONNECTION_LOST quickly and the server comes back', async () => {
    client = new UniversalMcpClient();
    const states: ServerStateEvent[] = [];
    const restarting: { attempt: number; delayMs: number }[] = [];
    client.on('server:state', (e) => states.push(e));
    client.on('server:restarting', (e) => restarting.push({ attempt: e.attempt, delayMs: e.delayMs }));
    // The deprecated name still fires, once per scheduled restart, with the same payload.
    const oldName: { attempt: number; delayMs: number }[] = [];
    client.on('server:reconnecting', (e) => oldName.push({ attempt: e.attempt, delayMs: e.delayMs }));
    const info = await client.addServer(stdio('victim'));
    const pid = info.pid!;

    const inFlight = [1, 2, 3].map(() =>
      client.callTool('victim', 'sleep', { ms: 10_000 }).then(
        () => 'resolved',
        (e: unknown) => e,
      ),
    );
    await eventually(() => client.getServerInfo('victim')!.pending === 3);
    const killedAt = performance.now();
    process.kill(pid, 'SIGKILL');
    const results = await Promise.all(inFlight);
    const rejectedAfter = performance.now() - killedAt;
    for (const r of results) {
      expect(r).toMatchObject({ code: ErrorCode.CONNECTION_LOST, server: 'victim' });
      expect((r as Error).message).toMatch(/SIGKILL/);
    }
    expect(rejectedAfter).toBeLessThan(5000); // rejected by the kill, not the 10 s sleep (typically under 20 ms)

    await eventually(() => client.getServerInfo('victim')?.state === 'ready');
    const after = client.getServerInfo('victim')!;
    expect(after.pid).not.toBe(pid);
    expect(after.restarts).toBe(1);
    expect(after.attempt).toBe(2);
    expect(after.lastError?.code).toBe(ErrorCode.CONNECTION_LOST);
    await expect(client.callTool('victim', 'echo', { text: 'back' })).resolves.toMatchObject({
      content: [{ text: 'back' }],
    });

    expect(states.map((s) => `${s.from}>${s.to}`)).toEqual([
      'connecting>initialized',
      'initialized>ready',
      'ready>failed',
      'failed>restarting',
      'restarting>connecting',
      'connecting>initialized',
      'initialized>ready',
    ]);
    expect(states[2]).toMatchObject({ server: 'victim', attempt: 1, reason: expect.stringMatching(/SIGKILL/) });
    expect(states[4]).toMatchObject({ attempt: 2 });
    expect(restarting).toHaveLength(1);
    expect(restarting[0]!.attempt).toBe(1); // the attempt that ended; the restart is attempt 2
    expect(restarting[0]!.delayMs).toBeGreaterThanOrEqual(40);
    expect(restarting[0]!.delayMs).toBeLessThanOrEqual(60);
    expect(oldName).toEqual(restarting);
  });

  it('a temporary server is given up: server:given-up, calls fail fast, restartServer brings it back', async () => {
    client = new UniversalMcpClient();
    const failed: string[] = [];
    client.on('server:given-up', (e) => failed.push(e.error.code));
    const info = await client.addServer(stdio('once', { restart: 'temporary' }));
    process.kill(info.pid!, 'SIGKILL');
    await eventually(() => failed.length === 1);
    expect(client.getServerInfo('once')).toMatchObject({ state: 'failed', givenUp: true });
    await expect(client.callTool('once', 'echo', { text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.SERVER_UNAVAILABLE,
    });

    client.restartServer('once');
    await eventually(() => client.getServerInfo('once')?.state === 'ready');
    expect(client.getServerInfo('once')!.givenUp).toBe(false);
    await expect(client.callTool('once', 'echo', { text: 'again' })).resolves.toBeDefined();
  });

  it('a transient server that exits cleanly is not restarted', async () => {
    client = new UniversalMcpClient();
    const failed: string[] = [];
    client.on('server:given-up', (e) => failed.push(e.server));
    await client.addServer(stdio('clean', { restart: 'transient' }));
    await client.callTool('clean', 'exit', { code: 0 });
    await eventually(() => failed.length === 1);
    expect(client.getServerInfo('clean')!.restarts).toBe(0);
  });

  it('past the intensity limit the server is given up', async () => {
    client = new UniversalMcpClient({ defaults: { intensity: { maxRestarts: 2, windowMs: 60_000 } } });
    const failed: string[] = [];
    client.on('server:given-up', (e) => failed.push(e.error.message));
    await client.addServer(stdio('flappy'));
    for (let i = 0; i < 3; i += 1) {
      await eventually(() => client.getServerInfo('flappy')?.state === 'ready');
      process.kill(client.getServerInfo('flappy')!.pid!, 'SIGKILL');
      await eventually(() => client.getServerInfo('flappy')?.state !== 'ready');
    }
    await eventually(() => failed.length === 1);
    expect(failed[0]).toMatch(/more than 2 restarts/);
    expect(client.getServerInfo('flappy')!.restarts).toBe(2);
    const started = performance.now();
    await expect(client.callTool('flappy', 'echo', { text: 'x' }, { timeoutMs: 60_000 })).rejects.toMatchObject({
      code: ErrorCode.SERVER_UNAVAILABLE,
    });
    // Refused, not waited for: far inside the call's own 60 s timeout (the target is a few ms).
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('with waitForReady: false a server that cannot start yet is kept and retried', async () => {
    client = new UniversalMcpClient();
    const info = await client.addServer(
      {
        name: 'later',
        transport: 'stdio',
        command: process.execPath,
        args: ['-e', 'process.exit(1)'],
        backoff: { initialDelayMs: 20, maxDelayMs: 20 },
      },
      { waitForReady: false },
    );
    expect(info.state).toBe('connecting');
    await eventually(() => client.getServerInfo('later')!.restarts >= 2);
    expect(client.getServerInfo('later')!.lastError?.code).toBe(ErrorCode.CONNECT_FAILED);
    expect(client.getServerInfo('later')!.lastError?.message).toMatch(/exited with code 1/);
  });
});
