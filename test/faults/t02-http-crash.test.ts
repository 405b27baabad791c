import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient, type ServerStateEvent } from '@universal-mcp/supervisor';
import { SERVER_COMES_BACK, eventually, startFixtureHttp, type HttpServerProcess } from '../helpers/servers.js';

// T2: HTTP crash: in-flight calls reject within 1 s with CONNECTION_LOST — never a 60 s wait,
// never labelled a timeout. The SDK alone waits for the request timeout and says -32001.
describe.each([
  ['streamable_http', 'http'],
  ['sse', 'sse'],
] as const)('T2 HTTP crash over %s', (transport, mode) => {
  let client: UniversalMcpClient;
  let server: HttpServerProcess | undefined;
  afterEach(async () => {
    await client.close();
    await server?.stop();
  });

  it(
    'rejects in-flight calls with CONNECTION_LOST when the server dies, then reconnects when it is back',
    { timeout: 90_000 },
    async () => {
      server = await startFixtureHttp(mode);
      const port = new URL(server.url).port;
      client = new UniversalMcpClient({ defaults: SERVER_COMES_BACK });
      const states: ServerStateEvent[] = [];
      client.on('server:state', (e) => states.push(e));
      await client.addServer({ name: 'web', transport, url: server.url });
      const calls = [1, 2, 3].map(() =>
        client.callTool('web', 'hang', { ms: 30_000 }, { timeoutMs: 60_000 }).catch((e: unknown) => e),
      );
      await eventually(() => client.getServerInfo('web')!.pending === 3);
      await new Promise((r) => setTimeout(r, 50)); // let the requests reach the server
      const t0 = performance.now();
      await server.stop();
      const errors = await Promise.all(calls);
      const elapsed = performance.now() - t0;
      for (const e of errors) expect(e).toMatchObject({ code: ErrorCode.CONNECTION_LOST, server: 'web' });
      expect(elapsed).toBeLessThan(10_000); // rejected by the crash, not the 30 s hang (typically a few ms)
      expect(states.some((s) => s.from === 'ready' && s.to === 'failed')).toBe(true);

      server = await startFixtureHttp(mode, Number(port));
      await eventually(() => client.getServerInfo('web')?.state === 'ready', 30_000);
      await expect(client.callTool('web', 'echo', { text: 'back' })).resolves.toMatchObject({
        content: [{ text: 'back' }],
      });
    },
  );

  it('notices an idle server died without any call', async () => {
    server = await startFixtureHttp(mode);
    // whileReconnecting 'fail': the call is refused at once instead of waiting for the reconnect.
    client = new UniversalMcpClient({
      defaults: { backoff: { initialDelayMs: 5000 }, health: { intervalMs: 0 }, whileReconnecting: 'fail' },
    });
    await client.addServer({ name: 'idle', transport, url: server.url });
    await new Promise((r) => setTimeout(r, 100)); // the standalone stream is open
    await server.stop();
    server = undefined;
    await eventually(() => client.getServerInfo('idle')?.state !== 'ready', 10_000);
    await expect(client.callTool('idle', 'echo', { text: 'x' })).rejects.toMatchObject({
      code: ErrorCode.SERVER_UNAVAILABLE,
    });
  });
});
