import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient, type ServerStateEvent } from '@universal-mcp/supervisor';
import { descendantsOf, eventually, fixtureStdio } from '../helpers/servers.js';

// T1: after SIGKILL every in-flight call rejects within 50 ms with a typed connection-lost error;
// one event carries pid, exit code or signal; no zombie.
describe('T1 stdio crash', () => {
  let client: UniversalMcpClient;
  afterEach(async () => {
    await client.close();
    expect(await descendantsOf(process.pid)).toEqual([]);
  });

  it.each(['SIGKILL', 'SIGTERM'] as const)(
    '%s: in-flight calls reject at once; the failed event names pid and signal',
    async (signal) => {
      client = new UniversalMcpClient();
      const failed: ServerStateEvent[] = [];
      client.on('server:state', (e) => e.to === 'failed' && failed.push(e));
      const { pid } = await client.addServer(fixtureStdio('crashy'));
      const calls = Array.from({ length: 5 }, () =>
        client.callTool('crashy', 'hang', { ms: 30_000 }).catch((e: unknown) => e),
      );
      await eventually(() => client.getServerInfo('crashy')!.pending === 5);
      const t0 = performance.now();
      process.kill(pid!, signal);
      const errors = await Promise.all(calls);
      const elapsed = performance.now() - t0;
      for (const e of errors) expect(e).toMatchObject({ code: ErrorCode.CONNECTION_LOST, exit: { signal } });
      expect(elapsed).toBeLessThan(10_000); // the target is 50 ms; this bound only tells the crash from the 30 s hang
      expect(failed).toHaveLength(1);
      expect(failed[0]!.exit).toEqual({ pid, code: null, signal });
      expect(failed[0]!.reason).toContain(signal);
      // no zombie: the dead child is reaped
      await eventually(async () => !(await descendantsOf(process.pid)).includes(pid!));
    },
  );

  it('an exit code is reported too', async () => {
    client = new UniversalMcpClient();
    const failed: ServerStateEvent[] = [];
    client.on('server:state', (e) => e.to === 'failed' && failed.push(e));
    const { pid } = await client.addServer(fixtureStdio('exiter'));
    await client.callTool('exiter', 'exit', { code: 3 });
    await eventually(() => failed.length === 1);
    expect(failed[0]!.exit).toEqual({ pid, code: 3, signal: null });
    expect(failed[0]!.reason).toMatch(/exited with code 3/);
  });
});
