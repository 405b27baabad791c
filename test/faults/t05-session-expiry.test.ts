import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, UniversalMcpClient, type ServerStateEvent } from '@universal-mcp/supervisor';
import { eventually, forgetSessions, startFixtureHttp, type HttpServerProcess } from '../helpers/servers.js';

// T5: a server that forgot the session (404): re-initialize on a fresh transport within 500 ms;
// retry the failed request once only when safe; anything else surfaces SESSION_EXPIRED.
describe('T5 session expiry (Streamable HTTP)', () => {
  let client: UniversalMcpClient;
  let server: HttpServerProcess;
  afterEach(async () => {
    await client.close();
    await server.stop();
  });

  async function setup(): Promise<ServerStateEvent[]> {
    server = await startFixtureHttp('http');
    client = new UniversalMcpClient({ defaults: { health: { intervalMs: 0 } } });
    const states: ServerStateEvent[] = [];
    client.on('server:state', (e) => states.push(e));
    await client.addServer({ name: 'web', transport: 'streamable_http', url: server.url });
    return states;
  }

  it('retries a readOnly tool once on a fresh session, transparently', async () => {
    const states = await setup();
    const oldSession = client.getServerInfo('web')!.sessionId;
    await forgetSessions(server); // the server forgets every session, its process and sockets live on
    const t0 = performance.now();
    await expect(client.callTool('web', 'echo', { text: 'still here' })).resolves.toMatchObject({
      content: [{ text: 'still here' }],
    });
    const elapsed = performance.now() - t0;
    // the target is 500 ms (measured ~30 ms); the bound only tells a recovery from the 30 s call timeout
    expect(elapsed).toBeLessThan(10_000);
    const info = client.getServerInfo('web')!;
    expect(info.sessionId).not.toBe(oldSession);
    expect(info.state).toBe('ready');
    const failed = states.find((s) => s.to === 'failed');
    expect(failed?.reason).toMatch(/session/i);
    const reconnect = states.find((s) => s.to === 'restarting');
    expect(reconnect?.reason).toBe('backoff 0 ms');
  });

  it('an unannotated tool is not retried: SESSION_EXPIRED, and the server is back at once', async () => {
    await setup();
    await forgetSessions(server);
    await expect(client.callTool('web', 'log', { text: 'not idempotent' })).rejects.toMatchObject({
      code: ErrorCode.SESSION_EXPIRED,
      server: 'web',
    });
    await eventually(() => client.getServerInfo('web')?.state === 'ready', 10_000);
    await expect(client.callTool('web', 'log', { text: 'now fine' })).resolves.toMatchObject({
      content: [{ text: 'logged' }],
    });
  });

  it('a closed client DELETEs its session', async () => {
    await setup();
    const sessionId = client.getServerInfo('web')!.sessionId!;
    await client.close();
    const res = await fetch(server.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-session-id': sessionId,
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(res.status).toBe(404);
    await res.body?.cancel();
  });
});
