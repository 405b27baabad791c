import { describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient } from '@universal-mcp/supervisor';
import { FIXTURE, descendantsOf, eventually, fixtureStdio } from '../helpers/servers.js';

// T6: no orphans, wrapper grandchildren included. T7: bounded shutdown even for a server that
// ignores stdin EOF and SIGTERM; in-flight calls reject at once; HTTP sessions get DELETE
// (asserted in t05-session-expiry).
describe('T6 no orphans', () => {
  it.each([
    ['bash -c', 'bash', ['-c', `"${process.execPath}" "${FIXTURE}" stdio; exit $?`]],
    ['sh -c with a background grandchild', 'sh', ['-c', `sleep 300 & exec "${process.execPath}" "${FIXTURE}" stdio`]],
    [
      'an npx-style node wrapper',
      process.execPath,
      [
        '-e',
        `require('child_process').spawn(process.execPath, [${JSON.stringify(FIXTURE)}, 'stdio'], { stdio: 'inherit' })`,
      ],
    ],
  ])('%s: removeServer leaves no descendant', async (_label, command, args) => {
    const client = new UniversalMcpClient();
    await client.addServer({ name: 'wrapped', transport: 'stdio', command, args });
    await expect(client.callTool('wrapped', 'echo', { text: 'via wrapper' })).resolves.toBeDefined();
    expect((await descendantsOf(process.pid)).length).toBeGreaterThanOrEqual(2);
    await client.removeServer('wrapped');
    expect(await descendantsOf(process.pid)).toEqual([]);
    await client.close();
  });

  it('a crashed wrapper is restarted and its grandchildren do not pile up', async () => {
    const client = new UniversalMcpClient();
    const info = await client.addServer({
      ...fixtureStdio('wrapped'),
      command: 'bash',
      args: ['-c', `"${process.execPath}" "${FIXTURE}" stdio; exit $?`],
    });
    process.kill(info.pid!, 'SIGKILL'); // the wrapper dies; its node child holds the pipes
    await eventually(
      () => (client.getServerInfo('wrapped')?.restarts ?? 0) >= 1 && client.getServerInfo('wrapped')?.state === 'ready',
      10_000,
    );
    await client.close();
    expect(await descendantsOf(process.pid)).toEqual([]);
  });
});

describe('T7 bounded shutdown', () => {
  it('close() ends a server that ignores EOF and SIGTERM within 5 s; in-flight calls reject at once', async () => {
    const client = new UniversalMcpClient();
    await client.addServer(fixtureStdio('stubborn', { env: { IGNORE_TERM: '1' } }));
    const inFlight = client
      .callTool('stubborn', 'hang', { ms: 60_000 })
      .catch((e: { code: string }) => ({ code: e.code, at: performance.now() }));
    await eventually(() => client.getServerInfo('stubborn')!.pending === 1);
    const t0 = performance.now();
    const closing = client.close();
    const rejected = await inFlight;
    expect(rejected.code).toBe(ErrorCode.CONNECTION_LOST);
    await closing;
    const took = performance.now() - t0;
    // At once (target 50 ms): before close() got past the kill ladder, which takes over a second here.
    expect((rejected as { at: number }).at - t0).toBeLessThan(took - 500);
    expect(took).toBeLessThan(5000);
    expect(took).toBeGreaterThan(1000); // it really had to escalate to SIGKILL
    expect(await descendantsOf(process.pid)).toEqual([]);
  });
});
