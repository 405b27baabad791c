import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient, type ServerStateEvent } from '@universal-mcp/supervisor';
import { SERVER_COMES_BACK, descendantsOf, eventually } from '../helpers/servers.js';
import {
  eraOf,
  fixtureLog,
  startV2FaultsHttp,
  v2FaultsStdio,
  V2_FAULTS,
  type FixtureLog,
  type Protocol,
  type RestartableHttp,
} from '../helpers/v2-faults.js';

// T1 and T2 in each era, against an SDK v2 server. The era is a fact about the server: a restart
// keeps it, so the restarted process sees no probe (server/discover) and, in 2026, no initialize.
// The fixture's log tells which process saw which method.

let client: UniversalMcpClient;
let log: FixtureLog;
afterEach(async () => {
  await client.close();
  await log.remove();
  expect(await descendantsOf(process.pid)).toEqual([]);
});

/** Whether a process that saw `words` was opened without a probe, and with `initialize` exactly in 2025. */
function openedWithoutProbe(words: readonly string[], era: string): void {
  expect(words).not.toContain('server/discover');
  if (era === '2025-11-25') expect(words).toContain('initialize');
  else expect(words).not.toContain('initialize');
}

describe('T1 stdio crash, per era', () => {
  it.each([
    // protocol asked for, fixture flags, era expected
    ['2026-07-28', [], '2026-07-28'],
    ['auto', [], '2026-07-28'],
    ['auto', ['--only-2025'], '2025-11-25'],
    ['2025-11-25', [], '2025-11-25'],
  ] as const)(
    'protocol %s, server %j: in-flight calls reject typed; the restart keeps era %s and does not probe',
    async (protocol: Protocol, flags, era) => {
      log = await fixtureLog();
      client = new UniversalMcpClient();
      const failed: ServerStateEvent[] = [];
      client.on('server:state', (e) => e.to === 'failed' && failed.push(e));
      const { pid } = await client.addServer(v2FaultsStdio('crashy', protocol, log, { args: [V2_FAULTS, ...flags] }));
      expect(eraOf(client.getServerInfo('crashy'))).toBe(era);
      const calls = Array.from({ length: 5 }, () =>
        client.callTool('crashy', 'hang', { ms: 30_000 }).catch((e: unknown) => e),
      );
      await eventually(() => client.getServerInfo('crashy')!.pending === 5);
      const t0 = performance.now();
      process.kill(pid!, 'SIGKILL');
      const errors = await Promise.all(calls);
      const elapsed = performance.now() - t0;
      for (const e of errors) expect(e).toMatchObject({ code: ErrorCode.CONNECTION_LOST, exit: { signal: 'SIGKILL' } });
      expect(elapsed).toBeLessThan(10_000); // the target is 50 ms; this bound only tells the crash from the 30 s hang
      expect(failed).toHaveLength(1);
      expect(failed[0]!.exit).toEqual({ pid, code: null, signal: 'SIGKILL' });

      await eventually(() => {
        const info = client.getServerInfo('crashy');
        return info?.state === 'ready' && info.pid !== pid;
      });
      const restarted = client.getServerInfo('crashy')!;
      expect(eraOf(restarted)).toBe(era);
      await expect(client.callTool('crashy', 'echo', { text: 'back' })).resolves.toMatchObject({
        content: [{ text: 'back' }],
      });
      // The restarted process: no server/discover, no sibling process spawned to probe.
      openedWithoutProbe(await log.of(restarted.pid!), era);
      const starts = await log.starts();
      expect(starts.slice(starts.indexOf(pid!) + 1)).toEqual([restarted.pid]);
    },
  );

  it('a 2026 server under auto is probed in place: one process, one server/discover', async () => {
    log = await fixtureLog();
    client = new UniversalMcpClient();
    const { pid } = await client.addServer(v2FaultsStdio('once', 'auto', log));
    // The SDK's own stdio probe spawns a short-lived sibling; a restartable worker must not.
    expect(await log.starts()).toEqual([pid]);
    expect((await log.of(pid!)).filter((w) => w === 'server/discover')).toHaveLength(1);
  });
});

describe('T2 HTTP crash, 2026 era (stateless Streamable HTTP)', () => {
  let server: RestartableHttp | undefined;
  afterEach(async () => {
    await server?.stop();
  });

  it(
    'in-flight calls reject with CONNECTION_LOST when the server dies; it is used again when back',
    { timeout: 90_000 },
    async () => {
      log = await fixtureLog();
      server = await startV2FaultsHttp(log);
      client = new UniversalMcpClient({ defaults: SERVER_COMES_BACK });
      await client.addServer({ name: 'web', transport: 'streamable_http', url: server.url, protocol: '2026-07-28' });
      expect(eraOf(client.getServerInfo('web'))).toBe('2026-07-28');
      const calls = [1, 2, 3].map(() =>
        client.callTool('web', 'hang', { ms: 30_000 }, { timeoutMs: 60_000 }).catch((e: unknown) => e),
      );
      // every call has reached the server (a stateless POST each)
      const first = server.child.pid!;
      await eventually(async () => (await log.of(first)).filter((w) => w === 'tools/call').length === 3);
      const t0 = performance.now();
      await server.stop();
      const errors = await Promise.all(calls);
      const elapsed = performance.now() - t0;
      // never the 60 s wait, never labelled a timeout (the target is 1 s; typically a few ms)
      for (const e of errors) expect(e).toMatchObject({ code: ErrorCode.CONNECTION_LOST, server: 'web' });
      expect(elapsed).toBeLessThan(10_000);

      server = await server.again();
      await eventually(() => client.getServerInfo('web')?.state === 'ready', 30_000);
      await expect(client.callTool('web', 'echo', { text: 'back' })).resolves.toMatchObject({
        content: [{ text: 'back' }],
      });
      expect(eraOf(client.getServerInfo('web'))).toBe('2026-07-28');
      // no initialize, no probe on the new process
      const words = await log.of(server.child.pid!);
      expect(words).toContain('tools/call');
      openedWithoutProbe(words, '2026-07-28');
    },
  );
});
